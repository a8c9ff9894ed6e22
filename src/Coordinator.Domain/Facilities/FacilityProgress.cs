namespace Coordinator.Domain.Facilities;

/// <summary>Counts of leaf sectors by status and of persons found: for a facility or one of its levels.</summary>
public sealed record ProgressCounts(int Leaves, int Cleared, int ClearedWithDeceased, int InProgress, int Blocked, int Hazard, int Unsearched,
    int PersonsAlive, int PersonsDeceased)
{
    public static readonly ProgressCounts Zero = new(0, 0, 0, 0, 0, 0, 0, 0, 0);

    /// <summary>Share of leaves searched completely, 0..1.</summary>
    public double Final => Leaves == 0 ? 0 : (double)(Cleared + ClearedWithDeceased) / Leaves;

    public ProgressCounts Add(SectorProgress p, bool leaf) => (leaf ? p.Status switch
    {
        SectorStatus.Cleared => this with { Leaves = Leaves + 1, Cleared = Cleared + 1 },
        SectorStatus.ClearedWithDeceased => this with { Leaves = Leaves + 1, ClearedWithDeceased = ClearedWithDeceased + 1 },
        SectorStatus.Assigned or SectorStatus.InProgress => this with { Leaves = Leaves + 1, InProgress = InProgress + 1 },
        SectorStatus.Blocked => this with { Leaves = Leaves + 1, Blocked = Blocked + 1 },
        SectorStatus.Hazard => this with { Leaves = Leaves + 1, Hazard = Hazard + 1 },
        _ => this with { Leaves = Leaves + 1, Unsearched = Unsearched + 1 },
    } : this) with
    { PersonsAlive = PersonsAlive + p.Alive, PersonsDeceased = PersonsDeceased + p.Deceased };
}

/// <summary>A facility's progress, overall and per level (the nearest ancestor of kind Level; "-" when none).</summary>
public sealed record FacilityProgress(ProgressCounts Total, IReadOnlyList<(string Level, ProgressCounts Counts)> Levels)
{
    public const string NoLevel = "-";

    public static FacilityProgress Of(Facility f)
    {
        var levelOf = new Dictionary<string, string>();
        string LevelOf(string id)
        {
            if (levelOf.TryGetValue(id, out var known)) return known;
            var path = new List<string>();
            string level = NoLevel;
            for (var cur = id; cur is not null && f.Sectors.TryGetValue(cur, out var def); cur = def.Parent)
            {
                if (levelOf.TryGetValue(cur, out var cached)) { level = cached; break; }
                path.Add(cur);
                if (def.Kind == SectorKind.Level) { level = cur; break; }
            }
            foreach (var p in path) levelOf[p] = level;
            return level;
        }

        var total = ProgressCounts.Zero;
        var levels = new Dictionary<string, ProgressCounts>();
        foreach (var id in f.Sectors.Keys)
        {
            var p = f.ProgressOf(id);
            var leaf = f.IsLeaf(id);
            total = total.Add(p, leaf);
            var level = LevelOf(id);
            levels[level] = levels.GetValueOrDefault(level, ProgressCounts.Zero).Add(p, leaf);
        }
        return new FacilityProgress(total, [.. levels.OrderBy(l => LevelOrder(l.Key)).Select(l => (l.Key, l.Value))]);
    }

    /// <summary>
    /// Upper floors first, then G, then basements downwards, as a building section reads. The floor is the id's
    /// last part ("R-B2" is B2 of building R); levels of different buildings interleave by floor.
    /// </summary>
    public static (int, string) LevelOrder(string level)
    {
        var floor = level[(level.LastIndexOf('-') + 1)..];
        return floor switch
        {
            "G" => (0, level),
            _ when floor.Length > 1 && floor[0] == 'B' && int.TryParse(floor[1..], out var below) => (below, level),
            _ when int.TryParse(floor, out var above) => (-above, level),
            _ => (int.MaxValue, level),
        };
    }
}

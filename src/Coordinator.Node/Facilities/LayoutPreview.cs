using System.Collections.Immutable;
using Coordinator.Domain;
using Coordinator.Domain.Facilities;

namespace Coordinator.Node.Facilities;

/// <summary>A layout checked as PUT would check it, nothing recorded.</summary>
public static class LayoutPreviews
{
    public static LayoutPreview Of(Facility facility, ImmutableArray<LayoutRow> rows)
    {
        var readable = rows.Where(r => r.Definition is not null).ToList();
        var (fresh, problems) = Layout.Check(facility.Sectors, [.. readable.Select(r => r.Definition!)]);
        var byRow = problems.ToLookup(p => readable[p.Index].Row, p => new LayoutRowProblem(p.Refusal.Code.ToString(), p.Refusal.Reason));
        var freshIds = problems.IsEmpty
            ? fresh.Select(d => d.Id).ToHashSet()
            : readable.Select(r => r.Definition!.Id).Where(id => !facility.Sectors.ContainsKey(id)).ToHashSet();
        var tree = new Dictionary<string, SectorDefinition>(facility.Sectors);
        foreach (var r in readable) tree.TryAdd(r.Definition!.Id, r.Definition);

        var sectors = rows.Select(r => new LayoutPreviewRow(r.Row, r.Fields.Id, r.Fields.Parent, r.Fields.Kind, r.Fields.Name, r.Fields.Needs ?? [],
            r.Definition is null ? null : LevelOf(tree, r.Definition.Id),
            [.. (r.Problem is { } p ? [new LayoutRowProblem(p.Code.ToString(), p.Reason)] : byRow[r.Row])])).ToArray();
        var levels = sectors.Where(s => s.Level is not null).GroupBy(s => s.Level!)
            .OrderBy(g => FacilityProgress.LevelOrder(g.Key))
            .Select(g => new LayoutLevelCount(g.Key, g.Count(), g.Count(s => freshIds.Contains(s.Id!)))).ToArray();
        var refused = sectors.Count(s => s.Problems.Length > 0);
        return new LayoutPreview(refused == 0, sectors.Length, freshIds.Count, refused, sectors, levels);
    }

    /// <summary>The nearest ancestor of kind Level (the sector itself if it is one), as the board groups cells; "-" when none.</summary>
    private static string LevelOf(Dictionary<string, SectorDefinition> tree, string id)
    {
        var seen = new HashSet<string>();
        for (var cur = id; cur is not null && seen.Add(cur) && tree.TryGetValue(cur, out var def); cur = def.Parent)
            if (def.Kind == SectorKind.Level) return cur;
        return FacilityProgress.NoLevel;
    }
}

using System.Collections.Immutable;

namespace Coordinator.Domain.Facilities;

/// <summary>What is wrong with one sector of a layout: its position in the batch (0-based), its id, and the refusal.</summary>
public sealed record LayoutProblem(int Index, string Sector, Refusal Refusal);

/// <summary>Checks a batch of sector definitions against the recorded tree: all or nothing.</summary>
public static class Layout
{
    /// <summary>The definitions to record (new ones only, in parent-first order), or why the batch is refused: its first problem.</summary>
    public static (ImmutableArray<SectorDefinition> New, Refusal? Refusal) Validate(
        IReadOnlyDictionary<string, SectorDefinition> existing, IReadOnlyList<SectorDefinition> incoming)
    {
        var (fresh, problems) = Check(existing, incoming);
        return problems.IsEmpty ? (fresh, null) : (default, problems[0].Refusal);
    }

    /// <summary>
    /// Every problem of the batch, so a lead can fix a whole file at once (a preview). Problems come in the order the
    /// batch is refused by: each sector's own content, then missing parents, then cycles. A sector whose own row is
    /// refused is not blamed again on its children. The new definitions are meaningful only without problems.
    /// </summary>
    public static (ImmutableArray<SectorDefinition> New, ImmutableArray<LayoutProblem> Problems) Check(
        IReadOnlyDictionary<string, SectorDefinition> existing, IReadOnlyList<SectorDefinition> incoming)
    {
        var problems = ImmutableArray.CreateBuilder<LayoutProblem>();
        var fresh = new Dictionary<string, SectorDefinition>();
        var indexOf = new Dictionary<string, int>();
        var refused = new HashSet<string>();
        for (var i = 0; i < incoming.Count; i++)
        {
            var s = incoming[i];
            if (Check(s) is { } invalid) { problems.Add(new(i, s.Id, invalid)); refused.Add(s.Id); continue; }
            if (existing.TryGetValue(s.Id, out var known) || fresh.TryGetValue(s.Id, out known))
            {
                if (!known.SameAs(s))
                {
                    problems.Add(new(i, s.Id, new Refusal(RefusalCode.SectorConflict, $"sector '{s.Id}' is already defined with other content")));
                    refused.Add(s.Id);
                }
                continue;
            }
            fresh[s.Id] = s;
            indexOf[s.Id] = i;
        }

        foreach (var s in fresh.Values)
            if (s.Parent is { } p && !existing.ContainsKey(p) && !fresh.ContainsKey(p) && !refused.Contains(p))
                problems.Add(new(indexOf[s.Id], s.Id,
                    new Refusal(RefusalCode.ParentSectorNotFound, $"sector '{s.Id}' names parent '{p}', which is not defined")));

        // Existing sectors form a tree already, so a cycle can only run through new ones.
        var ordered = new List<SectorDefinition>(fresh.Count);
        var state = new Dictionary<string, bool>(); // false: on the current path, true: placed
        foreach (var start in fresh.Keys)
        {
            var path = new Stack<string>();
            var id = start;
            while (id is not null && fresh.ContainsKey(id) && !state.ContainsKey(id))
            {
                state[id] = false;
                path.Push(id);
                id = fresh[id].Parent;
            }
            if (id is not null && state.TryGetValue(id, out var placed) && !placed)
                problems.Add(new(indexOf[id], id, new Refusal(RefusalCode.LayoutHasCycle, $"sector '{id}' is its own ancestor")));
            while (path.Count > 0)
            {
                var next = path.Pop();
                state[next] = true;
                ordered.Add(fresh[next]);
            }
        }
        return ([.. ordered], problems.ToImmutable());
    }

    private static Refusal? Check(SectorDefinition s)
    {
        if (!Ids.IsValid(s.Id)) return new(RefusalCode.InvalidId, Ids.Rule("sector id", s.Id));
        if (s.Parent is not null && !Ids.IsValid(s.Parent))
            return new(RefusalCode.InvalidId, $"parent id '{s.Parent}' of sector '{s.Id}' is not a valid id");
        if (s.Parent == s.Id) return new(RefusalCode.LayoutHasCycle, $"sector '{s.Id}' is its own parent");
        if (s.Name.Length > SectorDefinition.MaxNameLength)
            return new(RefusalCode.InvalidField, $"name of sector '{s.Id}' is longer than {SectorDefinition.MaxNameLength}");
        if (NameText.Check($"name of sector '{s.Id}'", s.Name) is { } badName) return badName;
        if (!Enum.IsDefined(s.Kind)) return new(RefusalCode.InvalidField, $"kind of sector '{s.Id}' is unknown");
        if (s.Needs.IsDefault || s.Needs.Any(n => !Enum.IsDefined(n))) return new(RefusalCode.InvalidField, $"needs of sector '{s.Id}' are unknown");
        if (s.Plan is { IsValid: false } p)
            return new(RefusalCode.InvalidField, $"plan of sector '{s.Id}' needs a width and a height above 0 (it has w {p.W}, h {p.H})");
        return null;
    }
}

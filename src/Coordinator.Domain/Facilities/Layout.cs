using System.Collections.Immutable;

namespace Coordinator.Domain.Facilities;

/// <summary>Checks a batch of sector definitions against the recorded tree: all or nothing.</summary>
public static class Layout
{
    /// <summary>The definitions to record (new ones only, in parent-first order), or why the batch is refused.</summary>
    public static (ImmutableArray<SectorDefinition> New, Refusal? Refusal) Validate(
        IReadOnlyDictionary<string, SectorDefinition> existing, IReadOnlyList<SectorDefinition> incoming)
    {
        var fresh = new Dictionary<string, SectorDefinition>();
        foreach (var s in incoming)
        {
            if (Check(s) is { } invalid) return (default, invalid);
            if (existing.TryGetValue(s.Id, out var known) || fresh.TryGetValue(s.Id, out known))
            {
                if (!known.SameAs(s))
                    return (default, new Refusal(RefusalCode.SectorConflict, $"sector '{s.Id}' is already defined with other content"));
                continue;
            }
            fresh[s.Id] = s;
        }

        foreach (var s in fresh.Values)
            if (s.Parent is { } p && !existing.ContainsKey(p) && !fresh.ContainsKey(p))
                return (default, new Refusal(RefusalCode.ParentSectorNotFound, $"sector '{s.Id}' names parent '{p}', which is not defined"));

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
                return (default, new Refusal(RefusalCode.LayoutHasCycle, $"sector '{id}' is its own ancestor"));
            while (path.Count > 0)
            {
                var next = path.Pop();
                state[next] = true;
                ordered.Add(fresh[next]);
            }
        }
        return ([.. ordered], null);
    }

    private static Refusal? Check(SectorDefinition s)
    {
        if (!Ids.IsValid(s.Id)) return new(RefusalCode.InvalidId, $"sector id '{s.Id}' must be 1-{Ids.MaxLength} of A-Z a-z 0-9 . _ -");
        if (s.Parent is not null && !Ids.IsValid(s.Parent)) return new(RefusalCode.InvalidId, $"parent id '{s.Parent}' of sector '{s.Id}' is not a valid id");
        if (s.Parent == s.Id) return new(RefusalCode.LayoutHasCycle, $"sector '{s.Id}' is its own parent");
        if (s.Name.Length > SectorDefinition.MaxNameLength) return new(RefusalCode.InvalidField, $"name of sector '{s.Id}' is longer than {SectorDefinition.MaxNameLength}");
        if (NameText.Check($"name of sector '{s.Id}'", s.Name) is { } badName) return badName;
        if (!Enum.IsDefined(s.Kind)) return new(RefusalCode.InvalidField, $"kind of sector '{s.Id}' is unknown");
        if (s.Needs.IsDefault || s.Needs.Any(n => !Enum.IsDefined(n))) return new(RefusalCode.InvalidField, $"needs of sector '{s.Id}' are unknown");
        if (s.Plan is { IsValid: false } p) return new(RefusalCode.InvalidField, $"plan of sector '{s.Id}' needs a width and a height above 0 (it has w {p.W}, h {p.H})");
        return null;
    }
}

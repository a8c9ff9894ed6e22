using System.Collections.Immutable;
using Coordinator.Domain.Facilities;

namespace Coordinator.Domain.Views;

/// <summary>A sector that stands between the facility and its sign-off.</summary>
public sealed record OutstandingSector(string Id, string Name, string Level, SectorKind Kind, bool Leaf, string? Team,
    ImmutableArray<Capability> Needs, string? Hazard);

/// <summary>Outstanding sectors sharing one reason: the status that keeps them from counting as searched.</summary>
public sealed record OutstandingGroup(SectorStatus Why, ImmutableArray<OutstandingSector> Sectors);

/// <summary>"What stands between us and sign-off": every sector the facility's sign-off rule would name, grouped by why.</summary>
public static class Outstanding
{
    /// <summary>Work a lead must arrange first (a door crew, a hazard judged), then work not begun, then work under way.</summary>
    private static readonly SectorStatus[] Order =
        [SectorStatus.Blocked, SectorStatus.Hazard, SectorStatus.Unsearched, SectorStatus.Assigned, SectorStatus.InProgress];

    public static ImmutableArray<OutstandingGroup> Of(LiveFacility f) =>
    [
        .. f.Sectors.Values
            .Where(s => Facility.BlocksSignOff(f.IsLeaf(s.Id), s.Status))
            .GroupBy(s => s.Status)
            .OrderBy(g => Array.IndexOf(Order, g.Key))
            .Select(g => new OutstandingGroup(g.Key, [.. g
                .OrderBy(s => FacilityProgress.LevelOrder(s.Level)).ThenBy(s => s.Id, StringComparer.Ordinal)
                .Select(s => new OutstandingSector(s.Id, s.Name, s.Level, s.Kind, f.IsLeaf(s.Id), s.Team, s.Needs, s.Hazard))])),
    ];
}

using System.Collections.Immutable;

namespace Coordinator.Domain.Views;

/// <summary>A sector as monitors see it.</summary>
public sealed record LiveSector(
    string Id, string? Parent, SectorKind Kind, string Name, string Level, ImmutableArray<Capability> Needs,
    SectorStatus Status, string? Team, int Alive, int Deceased, string? Hazard, long Version);

/// <summary>Counts of leaf sectors by status, and persons found, kept as events arrive.</summary>
public sealed record Tally(ImmutableDictionary<SectorStatus, int> Leaves, int Alive, int Deceased)
{
    public static readonly Tally Zero = new(ImmutableDictionary<SectorStatus, int>.Empty, 0, 0);

    public int Count(SectorStatus s) => Leaves.GetValueOrDefault(s);
    public int LeafCount => Leaves.Values.Sum();
    public int Final => Count(SectorStatus.Cleared) + Count(SectorStatus.ClearedWithDeceased);

    public Tally Leaf(SectorStatus s, int delta) => this with { Leaves = Leaves.SetItem(s, Count(s) + delta) };
    public Tally Persons(int alive, int deceased) => this with { Alive = Alive + alive, Deceased = Deceased + deceased };
}

/// <summary>A point of the cleared-over-time chart: final leaves out of all leaves at a moment.</summary>
public sealed record ClearedPoint(DateTimeOffset At, int Final, int Leaves);

public sealed record LiveFacility(
    string Id, string Name, ImmutableArray<string> Aliases, string? Location, bool SignedOff,
    ImmutableDictionary<string, LiveSector> Sectors, ImmutableHashSet<string> Parents,
    Tally Total, ImmutableDictionary<string, Tally> Levels, ImmutableList<ClearedPoint> ClearedOverTime)
{
    public bool IsLeaf(string sector) => !Parents.Contains(sector);
}

public sealed record LiveTeam(string Id, string CallSign, int Size, ImmutableArray<Capability> Capabilities, TeamStatus Status, SectorRef? Sector, DateTimeOffset? OnSiteSince);

public enum AlertKind { PersonsFound, NeedsMedical, Hazard, HiddenSpaceFound, Blocked, Reopened }

public sealed record Alert(long Id, AlertKind Kind, string Facility, string Sector, string? Team, string Text, DateTimeOffset At)
{
    /// <summary>The lead who acknowledged it; an acknowledged alert is no longer open.</summary>
    public string? AcknowledgedBy { get; init; }
    public DateTimeOffset? AcknowledgedAt { get; init; }
}

/// <summary>One team's time on one sector: the evidence behind "searched, by whom, how".</summary>
public sealed record Visit(
    string Team, ImmutableArray<Capability> Capabilities, DateTimeOffset Start, DateTimeOffset? Entered, DateTimeOffset? End,
    SearchMethod? Method, SectorStatus? Outcome, int Alive, int Deceased, string? Note);

/// <summary>A small change for the live stream; Data holds what changed.</summary>
public sealed record LiveChange(string Kind, string? Facility, string? Sector, string? Team, object Data);

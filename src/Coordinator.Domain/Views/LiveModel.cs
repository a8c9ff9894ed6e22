using System.Collections.Immutable;

namespace Coordinator.Domain.Views;

/// <summary>A sector as monitors see it. Plan: its place on its level's floor plan, when the layout gives one.</summary>
public sealed record LiveSector(
    string Id, string? Parent, SectorKind Kind, string Name, string Level, ImmutableArray<Capability> Needs,
    SectorStatus Status, string? Team, int Alive, int Deceased, string? Hazard, long Version, Facilities.SectorPlace? Plan = null);

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

/// <summary>OnDutySince: the start of the team's shift, kept across sectors until it is set resting.</summary>
public sealed record LiveTeam(string Id, string CallSign, int Size, ImmutableArray<Capability> Capabilities, TeamStatus Status, SectorRef? Sector,
    DateTimeOffset? OnSiteSince, DateTimeOffset? OnDutySince);

/// <summary>ShiftLimit and ShiftOverrun are read off the clock, not an event: they stand while the team stays on duty.</summary>
public enum AlertKind { PersonsFound, NeedsMedical, Hazard, HiddenSpaceFound, Blocked, Reopened, ShiftLimit, ShiftOverrun }

/// <summary>
/// Id: the journal offset of the event that raised it; 0 for a shift alert, which no event raises. Facility and
/// Sector are empty for a shift alert on a team between sectors. What it says is Facts, which the pages word in the
/// reader's language; Text is the same in English, for coord and logs.
/// </summary>
public sealed record Alert(long Id, AlertKind Kind, string Facility, string Sector, string? Team, AlertFacts Facts, DateTimeOffset At)
{
    /// <summary>The lead who acknowledged it; an acknowledged alert is no longer open.</summary>
    public string? AcknowledgedBy { get; init; }
    public DateTimeOffset? AcknowledgedAt { get; init; }

    public string Text => Facts.InEnglish(Kind, Sector);
}

/// <summary>
/// An alert's facts, each set for the kinds that have it: persons found (Alive, Deceased), what a blocked sector needs,
/// where a hidden space was found (In), a shift's team and start (CallSign, Since). Note is what the team or the lead
/// wrote (a hazard, a reason, a remark): shown as written, in whatever language it was written in.
/// </summary>
public sealed record AlertFacts(int? Alive = null, int? Deceased = null, IReadOnlyList<Capability>? Needs = null, string? In = null,
    string? CallSign = null, DateTimeOffset? Since = null, string? Note = null)
{
    public string InEnglish(AlertKind kind, string sector)
    {
        var said = kind switch
        {
            AlertKind.PersonsFound => $"{Alive} alive, {Deceased} deceased",
            AlertKind.NeedsMedical => $"{Alive} alive, {Deceased} deceased, medical help needed",
            AlertKind.HiddenSpaceFound => $"hidden space {sector} found in {In}",
            AlertKind.Blocked => $"needs {string.Join(", ", Needs ?? [])}",
            AlertKind.ShiftLimit or AlertKind.ShiftOverrun => $"{CallSign}: on duty since {Since:yyyy-MM-dd HH:mm} UTC",
            _ => "",
        };
        return Note is null ? said : said.Length == 0 ? Note : $"{said}: {Note}";
    }
}

/// <summary>One team's time on one sector: the evidence behind "searched, by whom, how".</summary>
public sealed record Visit(
    string Team, ImmutableArray<Capability> Capabilities, DateTimeOffset Start, DateTimeOffset? Entered, DateTimeOffset? End,
    SearchMethod? Method, SectorStatus? Outcome, int Alive, int Deceased, string? Note);

/// <summary>What a live change is about; the family kinds name persons and go to the family desk's stream only.</summary>
public enum ChangeKind { Facility, Sector, Progress, Team, Alert, Acknowledged, FamilyInquiry, FamilyCandidate }

/// <summary>A small change for the live stream; Data holds what changed, of the type its kind carries.</summary>
public sealed record LiveChange(ChangeKind Kind, string? Facility, string? Sector, string? Team, object Data);

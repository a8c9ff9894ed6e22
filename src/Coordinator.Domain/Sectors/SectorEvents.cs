using System.Collections.Immutable;
using Coordinator.Domain.Facilities;
using Coordinator.Domain.Family;

namespace Coordinator.Domain.Sectors;

public interface ISectorEvent : IEvent, IAboutSector;

/// <summary>An event caused by a field report: it carries the report so a retry is answered, not applied.</summary>
public interface IReportedEvent : ISectorEvent, IAboutTeam
{
    ReportRef Report { get; }
}

public sealed record SectorDefined(SectorRef Sector, SectorDefinition Definition, DateTimeOffset At, Author By) : ISectorEvent;

public sealed record TeamAssigned(SectorRef Sector, string Team, DateTimeOffset At, Author By) : ISectorEvent, IAboutTeam;

public sealed record TeamReleased(SectorRef Sector, string Team, DateTimeOffset At, Author By) : ISectorEvent, IAboutTeam;

public sealed record SectorEntered(SectorRef Sector, string Team, ReportRef Report, DateTimeOffset At, Author By) : IReportedEvent;

public sealed record SectorCleared(SectorRef Sector, string Team, SearchMethod Method, ReportRef Report, DateTimeOffset At, Author By)
    : IReportedEvent;

public sealed record SectorClearedWithDeceased(SectorRef Sector, string Team, SearchMethod Method, int Deceased, ReportRef Report, DateTimeOffset At,
    Author By) : IReportedEvent;

public sealed record SectorBlocked(SectorRef Sector, string Team, ImmutableArray<Capability> Needs, string? Note, ReportRef Report, DateTimeOffset At,
    Author By) : IReportedEvent;

public sealed record AccessOpened(SectorRef Sector, string Team, ImmutableArray<Capability> Needs, ReportRef Report, DateTimeOffset At, Author By)
    : IReportedEvent;

public sealed record HazardReported(SectorRef Sector, string Team, string Hazard, ReportRef Report, DateTimeOffset At, Author By) : IReportedEvent;

public sealed record PersonsFound(SectorRef Sector, string Team, int Alive, int Deceased, bool NeedsMedical, string? Details, ReportRef Report,
    DateTimeOffset At, Author By) : IReportedEvent
{
    /// <summary>The persons the report named; most reports only count.</summary>
    public ImmutableArray<FoundPerson> Persons { get; init; } = [];
}

public sealed record PersonRecordCorrected(SectorRef Sector, string Person, PersonDetails Details, string Reason, DateTimeOffset At, Author By)
    : ISectorEvent;

/// <summary>The person's details were erased (their key deleted): no personal data here, only who, when and why.</summary>
public sealed record PersonDetailsErased(SectorRef Sector, string Person, string Reason, DateTimeOffset At, Author By) : ISectorEvent;
public sealed record PersonNoticeDecided(SectorRef Sector, string Person, bool Publish, DateTimeOffset At, Author By) : ISectorEvent;

/// <summary>A hidden space inside this sector became a child sector; a final sector is reopened by it.</summary>
public sealed record HiddenSpaceFound(SectorRef Sector, string Team, SectorDefinition Child, string? Note, ReportRef Report, DateTimeOffset At,
    Author By) : IReportedEvent;

public sealed record SectorReopened(SectorRef Sector, string Reason, DateTimeOffset At, Author By) : ISectorEvent;

/// <summary>Who saw an alert about this sector, and when: it leaves the open alerts on every board.</summary>
public sealed record AlertAcknowledged(SectorRef Sector, long Alert, DateTimeOffset At, Author By) : ISectorEvent;

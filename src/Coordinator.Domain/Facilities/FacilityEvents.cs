using System.Collections.Immutable;

namespace Coordinator.Domain.Facilities;

public interface IFacilityEvent : IEvent
{
    string Facility { get; }
}

public sealed record FacilityRegistered(string Facility, string Name, ImmutableArray<string> Aliases, string? Location, DateTimeOffset At, Author By)
    : IFacilityEvent;

public sealed record SectorsDefined(string Facility, ImmutableArray<SectorDefinition> Sectors, DateTimeOffset At, Author By) : IFacilityEvent;

public sealed record SectorProgressRecorded(string Facility, string Sector, SectorProgress Progress, DateTimeOffset At, Author By)
    : IFacilityEvent, IAboutSector
{
    SectorRef IAboutSector.Sector => new(Facility, Sector);
}

public sealed record HiddenSpaceAdded(string Facility, SectorDefinition Child, string Reason, DateTimeOffset At, Author By)
    : IFacilityEvent, IAboutSector
{
    SectorRef IAboutSector.Sector => new(Facility, Child.Id);
}

public sealed record SectorReopeningRecorded(string Facility, string Sector, long SectorVersion, string Reason, DateTimeOffset At, Author By)
    : IFacilityEvent, IAboutSector
{
    SectorRef IAboutSector.Sector => new(Facility, Sector);
}

public sealed record SignOffRevoked(string Facility, string Reason, DateTimeOffset At, Author By) : IFacilityEvent;

public sealed record FacilitySignedOff(string Facility, int Leaves, DateTimeOffset At, Author By) : IFacilityEvent;

using Coordinator.Domain;
using Coordinator.Domain.Facilities;

namespace Coordinator.Cluster.Facilities;

/// <summary>Messages to a facility besides its domain commands, routed by the facility id they carry.</summary>
public interface IFacilityMessage
{
    string Facility { get; }
}

public sealed record GetFacility(string Facility) : IFacilityMessage;

/// <summary>A sector asking for its definition the first time it is used.</summary>
public sealed record GetSectorDefinition(string Facility, string Sector) : IFacilityMessage;

public sealed record SectorDefinitionResult(SectorDefinition? Definition, bool FacilityRegistered);

/// <summary>The facility's answer to <see cref="RecordSectorProgress"/>: it has recorded the sector's progress up to this version.</summary>
public sealed record SectorProgressAcknowledged(long Version);

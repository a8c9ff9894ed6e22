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

/// <summary>A sector's copy of its progress; answered with <see cref="SectorProgressAcknowledged"/>.</summary>
public sealed record SectorProgressCopy(string Facility, string Sector, SectorProgress Progress) : IFacilityMessage;

/// <summary>The facility has recorded a sector's progress up to this version.</summary>
public sealed record SectorProgressAcknowledged(long Version);

/// <summary>A sector asking before it records a change the facility must know first; answered like a command.</summary>
public sealed record SectorChangeProposed(
    string Facility, string Sector, long SectorVersion, bool Reopens, SectorDefinition? Child, string Reason, Author By) : IFacilityMessage;

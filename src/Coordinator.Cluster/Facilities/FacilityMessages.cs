using Coordinator.Domain;
using Coordinator.Domain.Facilities;

namespace Coordinator.Cluster.Facilities;

/// <summary>Messages to a facility besides its domain commands.</summary>
public interface IFacilityQuery
{
    string Facility { get; }
}

public sealed record GetFacility(string Facility) : IFacilityQuery;

/// <summary>A sector asking for its definition the first time it is used.</summary>
public sealed record GetSectorDefinition(string Facility, string Sector) : IFacilityQuery;

public sealed record SectorDefinitionResult(SectorDefinition? Definition, bool FacilityRegistered);

/// <summary>The facility has recorded a sector's progress up to this version.</summary>
public sealed record SectorProgressAcknowledged(long Version);

using Coordinator.Domain;

namespace Coordinator.Cluster.Sectors;

public interface ISectorQuery
{
    SectorRef Sector { get; }
}

public sealed record GetSector(SectorRef Sector) : ISectorQuery;

/// <summary>A team checking whether its sector still names it; answered with a SectorReported.</summary>
public sealed record CheckTeam(SectorRef Sector, string Team) : ISectorQuery;

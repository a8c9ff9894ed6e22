using Coordinator.Domain;

namespace Coordinator.Cluster.Sectors;

/// <summary>Messages to a sector besides its domain commands, routed by the sector they carry.</summary>
public interface ISectorMessage
{
    SectorRef Sector { get; }
}

public sealed record GetSector(SectorRef Sector) : ISectorMessage;

/// <summary>A team checking whether its sector still names it; answered with a <see cref="Domain.Teams.SectorReported"/>.</summary>
public sealed record CheckTeam(SectorRef Sector, string Team) : ISectorMessage;

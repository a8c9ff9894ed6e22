using System.Collections.Immutable;
using Coordinator.Domain;

namespace Coordinator.Cluster.Sectors;

/// <summary>Messages to a sector besides its domain commands, routed by the sector they carry.</summary>
public interface ISectorMessage
{
    SectorRef Sector { get; }
}

public sealed record GetSector(SectorRef Sector) : ISectorMessage;

/// <summary>A team checking whether its sector still names it; answered with a <see cref="Teams.SectorUpdate"/>.</summary>
public sealed record CheckTeam(SectorRef Sector, string Team) : ISectorMessage;

/// <summary>Step two of an assignment: the team, already holding this sector, asks to be named by it.</summary>
public sealed record JoinSector(SectorRef Sector, string Team, ImmutableArray<Capability> Capabilities, Author By) : ISectorMessage;

/// <summary>Step two of a recall: the team, leaving, asks this sector to let it go.</summary>
public sealed record LeaveSector(SectorRef Sector, string Team, Author By) : ISectorMessage;

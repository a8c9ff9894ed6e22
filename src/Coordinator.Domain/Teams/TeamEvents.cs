using System.Collections.Immutable;

namespace Coordinator.Domain.Teams;

public interface ITeamEvent : IEvent, IAboutTeam
{
    /// <summary>Always the team: a team's events are its own.</summary>
    new string Team { get; }
}

public sealed record TeamRegistered(string Team, string CallSign, int Size, ImmutableArray<Capability> Capabilities, DateTimeOffset At, Author By)
    : ITeamEvent;

public sealed record AssignmentRequested(string Team, SectorRef Sector, DateTimeOffset At, Author By) : ITeamEvent, IAboutSector;

public sealed record AssignmentConfirmed(string Team, SectorRef Sector, DateTimeOffset At, Author By) : ITeamEvent, IAboutSector;

public sealed record AssignmentRefused(string Team, SectorRef Sector, Refusal Refusal, DateTimeOffset At, Author By) : ITeamEvent, IAboutSector;

public sealed record RecallRequested(string Team, SectorRef Sector, DateTimeOffset At, Author By) : ITeamEvent, IAboutSector;

public sealed record TeamOnSite(string Team, SectorRef Sector, DateTimeOffset At, Author By) : ITeamEvent, IAboutSector;

/// <summary>The team left its sector: recalled, or the sector reached an outcome that ends its work there.</summary>
public sealed record TeamLeftSector(string Team, SectorRef Sector, SectorStatus SectorStatus, DateTimeOffset At, Author By)
    : ITeamEvent, IAboutSector;

public sealed record TeamStatusSet(string Team, TeamStatus Status, DateTimeOffset At, Author By) : ITeamEvent;

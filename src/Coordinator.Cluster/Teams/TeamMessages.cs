using Coordinator.Domain;
using Coordinator.Domain.Teams;

namespace Coordinator.Cluster.Teams;

/// <summary>Messages to a team besides its domain commands, routed by the team id they carry.</summary>
public interface ITeamMessage
{
    string Team { get; }
}

public sealed record GetTeam(string Team) : ITeamMessage;

/// <summary>A team's state with the time it was read, so time on site and shift can be judged.</summary>
public sealed record TeamSnapshot(Team State, DateTimeOffset AsOf);

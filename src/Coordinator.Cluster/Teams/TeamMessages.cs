using Coordinator.Domain.Teams;

namespace Coordinator.Cluster.Teams;

public interface ITeamQuery
{
    string Team { get; }
}

public sealed record GetTeam(string Team) : ITeamQuery;

/// <summary>A team's state with the time it was read, so time on site and shift can be judged.</summary>
public sealed record TeamSnapshot(Team State, DateTimeOffset AsOf);

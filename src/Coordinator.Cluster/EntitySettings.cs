namespace Coordinator.Cluster;

/// <summary>How entities keep their journals short and how long they wait on one another.</summary>
public sealed record EntitySettings
{
    /// <summary>A snapshot after this many events bounds recovery time.</summary>
    public int SnapshotEvery { get; init; } = 200;

    /// <summary>How long one entity waits for another before it answers Unavailable.</summary>
    public TimeSpan AskTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How often an unacknowledged message to another entity is sent again.</summary>
    public TimeSpan RedeliverEvery { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How often a team holding a sector checks that the sector still names it.</summary>
    public TimeSpan TeamCheckEvery { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan PassivateIdleAfter { get; init; } = TimeSpan.FromMinutes(2);

    public int MaxShards { get; init; } = 100;
}

using Coordinator.Domain.Views;

namespace Coordinator.Cluster.Views;

/// <summary>
/// Changes derived from one journal event, in order. Offset is the event's position in the journal; a change's
/// id is (Offset, FirstIndex + its place here), unique and increasing, so a client can resume after any of them.
/// </summary>
public sealed record LiveBatch(long Offset, IReadOnlyList<LiveChange> Changes, int FirstIndex = 0);

/// <summary>
/// Subscribes the sender to every change after the given position. It first receives what it missed (from
/// the view's memory of recent changes), then every new batch, until it stops or unsubscribes.
/// </summary>
public sealed record Subscribe(long AfterOffset, int AfterIndex)
{
    /// <summary>Only what happens from now on.</summary>
    public static readonly Subscribe FromNow = new(-1, 0);
}

/// <summary>The position asked for is older than the changes kept in memory: the subscriber must reload.</summary>
public sealed record ResumeTooOld(long OldestKept);

public sealed record Unsubscribe;

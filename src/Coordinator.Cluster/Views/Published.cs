using Akka.Actor;

namespace Coordinator.Cluster.Views;

/// <summary>
/// A projection's latest state, one per projection and actor system, readable from any thread without asking the
/// projection's actor: every request's token check reads the access projection, so asking an actor for it made each
/// request wait behind the folding of the journal. States are immutable, so handing out the reference is safe.
/// </summary>
public sealed class Published<TState> : IExtension where TState : class
{
    private sealed record Snapshot(TState State, long Position);

    private Snapshot? _current;

    private volatile bool _isCurrent;

    /// <summary>The latest state; the projection's empty state until its actor has published one.</summary>
    public TState Current => Volatile.Read(ref _current)?.State ?? throw new InvalidOperationException(
        $"the {typeof(TState).Name} projection has not started");

    /// <summary>Where in the journal (or in its entity's events) the published state stands.</summary>
    public long Position => Volatile.Read(ref _current)?.Position ?? 0;

    /// <summary>
    /// The projection has read the journal as far as it reached when the node started: until then its routes
    /// answer 503 (a stale or empty answer would look like a true one), and for the access projection a revoked
    /// token may look valid, so the node answers no token and is not ready.
    /// </summary>
    public bool IsCurrent => _isCurrent;

    internal void MarkCurrent() => _isCurrent = true;

    internal void Publish(TState state, long position) => Volatile.Write(ref _current, new Snapshot(state, position));

    public static Published<TState> For(ActorSystem system) => system.WithExtension<Published<TState>, PublishedProvider<TState>>();
}

public sealed class PublishedProvider<TState> : ExtensionIdProvider<Published<TState>> where TState : class
{
    public override Published<TState> CreateExtension(ExtendedActorSystem system) => new();
}

using Akka.Actor;

namespace Coordinator.Node;

/// <summary>
/// A node told to stop (SIGTERM) leaves the cluster and hands its shards over within seconds, but HTTP requests
/// still arriving on open connections would wait on regions that are going away, for the whole ask timeout, and
/// hold the process that long. From the first phase of the shutdown the node refuses new work with 503 (a client
/// resends through another node, as the API asks), and once its shards are gone it gives up the asks still open.
/// </summary>
public sealed class NodeShutdown
{
    private readonly CancellationTokenSource _abandon = new();

    public NodeShutdown(ActorSystem system, IHostApplicationLifetime lifetime)
    {
        var shutdown = CoordinatedShutdown.Get(system);
        shutdown.AddTask(CoordinatedShutdown.PhaseBeforeServiceUnbind, "refuse-new-requests", () =>
        {
            Stopping = true;
            return Task.FromResult(Akka.Done.Instance);
        });
        shutdown.AddTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate, "abandon-open-asks", async () =>
        {
            await _abandon.CancelAsync();
            return Akka.Done.Instance;
        });
        // Open live streams end with the host's stop; their clients reconnect to another node with Last-Event-ID.
        Streams = CancellationTokenSource.CreateLinkedTokenSource(lifetime.ApplicationStopping, _abandon.Token).Token;
    }

    /// <summary>The node is leaving: new requests are refused, and readiness says so.</summary>
    public bool Stopping { get; private set; }

    /// <summary>Cancelled when no ask can be answered any more: this node's shards and actors are gone.</summary>
    public CancellationToken Abandoned => _abandon.Token;

    /// <summary>Cancelled when the host stops: long-lived responses end.</summary>
    public CancellationToken Streams { get; }
}

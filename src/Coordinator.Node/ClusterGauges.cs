using System.Diagnostics.Metrics;
using Akka.Actor;
using Akka.Cluster;
using Coordinator.Cluster;

namespace Coordinator.Node;

/// <summary>The cluster as this node sees it, for /metrics: read when scraped, for as long as the node runs.</summary>
public sealed class ClusterGauges(ActorSystem system) : IHostedService
{
    private Meter? _meter;

    public Task StartAsync(CancellationToken ct)
    {
        _meter = new Meter(Telemetry.MeterName);
        var cluster = Akka.Cluster.Cluster.Get(system);
        _meter.CreateObservableGauge("coordinator.cluster.members", () => cluster.State.Members.Count(m => m.Status == MemberStatus.Up),
            description: "Members Up, as this node sees them");
        _meter.CreateObservableGauge("coordinator.cluster.unreachable", () => cluster.State.Unreachable.Count,
            description: "Members this node cannot reach");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken ct)
    {
        _meter?.Dispose();
        return Task.CompletedTask;
    }
}

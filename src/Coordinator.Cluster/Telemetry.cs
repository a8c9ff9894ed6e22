using System.Diagnostics.Metrics;

namespace Coordinator.Cluster;

/// <summary>The node's own measurements, exported at /metrics (Prometheus format) through OpenTelemetry.</summary>
public static class Telemetry
{
    public const string MeterName = "Coordinator";

    public static readonly Meter Meter = new(MeterName);

    public static readonly Counter<long> Reports = Meter.CreateCounter<long>("coordinator.reports",
        description: "Field reports answered, by kind and outcome (accepted, refused)");

    public static readonly Histogram<double> CommandDuration = Meter.CreateHistogram<double>("coordinator.command.duration", "ms",
        "From the API asking an entity to its answer, by region and outcome");

    public static readonly Histogram<double> JournalWriteDuration = Meter.CreateHistogram<double>("coordinator.journal.write.duration", "ms",
        "From an entity persisting its events to the journal confirming them");

    public static readonly Counter<long> SqliteCommits = Meter.CreateCounter<long>("coordinator.sqlite.commits",
        description: "Write transactions committed to the node's SQLite file (each one a flush to disk)");

    public static readonly UpDownCounter<long> LiveEntities = Meter.CreateUpDownCounter<long>("coordinator.entities.live",
        description: "Entities running on this node, by kind");

    public static readonly UpDownCounter<long> StreamClients = Meter.CreateUpDownCounter<long>("coordinator.stream.clients",
        description: "Live-stream (SSE) clients connected to this node, by audience");

    public static readonly Counter<long> NodeLinkRefusals = Meter.CreateCounter<long>("coordinator.node_link.refusals",
        description: "Node links refused because the peer is not one of the operation's nodes, by direction and reason");
}

namespace Coordinator.Cluster.Hosting;

/// <summary>The "Coordinator" configuration section (environment: Coordinator__Section__Key).</summary>
public sealed record CoordinatorSettings
{
    public PersistenceSettings Persistence { get; init; } = new();
    public ClusterSettings Cluster { get; init; } = new();
    public EntitySettings Entities { get; init; } = new();
}

public enum PersistenceProvider { Sqlite, Postgres }

public sealed record PersistenceSettings
{
    public const string DefaultSqliteFile = "./data/coordinator.db";

    public PersistenceProvider Provider { get; init; } = PersistenceProvider.Sqlite;

    /// <summary>Empty means the SQLite file <see cref="DefaultSqliteFile"/>; PostgreSQL needs one.</summary>
    public string? ConnectionString { get; init; }

    /// <summary>
    /// Concurrent batch writers of the journal. SQLite takes one writer at a time, so more only queue on its
    /// lock (1 by default); PostgreSQL writes in parallel (3 by default, the journal's own default).
    /// </summary>
    public int? Writers { get; init; }

    public int WritersOrDefault => Writers ?? (Provider == PersistenceProvider.Sqlite ? 1 : 3);

    /// <summary>
    /// How often the live views poll the journal for new events (two light queries per interval). Polling more often
    /// costs acknowledgement latency without making the stream faster (docs/benchmarks.md has the runs).
    /// </summary>
    public TimeSpan ViewRefresh { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// The operations and family projections store a checkpoint after this many events, and this long after a change
    /// (docs/operations.md, Projections): a restarted node folds only what came after it.
    /// </summary>
    public int CheckpointEvery { get; init; } = 10_000;

    public TimeSpan CheckpointInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The erasure ledger's file (docs/operations.md, Restore): a file apart from the database, so that restoring a backup
    /// does not overwrite it. Empty means <see cref="LedgerFileName"/> beside the SQLite file; the node puts a PostgreSQL
    /// node's in its data folder (each node keeps its own).
    /// </summary>
    public string? ErasureLedger { get; init; }

    public const string LedgerFileName = "erasure-ledger";

    /// <summary>The ledger's file, or null on PostgreSQL without one set (a bare actor system, as in the cluster tests).</summary>
    public string? ErasureLedgerPath() =>
        !string.IsNullOrWhiteSpace(ErasureLedger) ? ErasureLedger
        : Provider == PersistenceProvider.Sqlite ? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(SqliteFile()))!, LedgerFileName)
        : null;

    /// <summary>The SQLite file the connection string names.</summary>
    public string SqliteFile() => new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(
        string.IsNullOrWhiteSpace(ConnectionString) ? $"Data Source={DefaultSqliteFile}" : ConnectionString).DataSource;
}

public sealed record ClusterSettings
{
    public string Hostname { get; init; } = "127.0.0.1";

    /// <summary>0 picks a free port: fine for one node, which joins itself.</summary>
    public int Port { get; init; }

    public string? PublicHostname { get; init; }

    /// <summary>Addresses like akka.tcp://coordinator@host:port; none means this node forms a cluster alone.</summary>
    public string[] Seeds { get; init; } = [];

    public string[] Roles { get; init; } = [];

    // Failover after a node dies is the sum of the next three settings, plus about two seconds of gossip and
    // shard allocation (docs/operations.md has the timeline measured and each one's trade-off).

    /// <summary>
    /// How long a node may miss heartbeats (sent every second) before the others mark it unreachable. A longer
    /// pause (a stop-the-world GC, a saturated link) than this only marks it unreachable until it answers again.
    /// </summary>
    public TimeSpan HeartbeatPause { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Split-brain resolver (keep-majority): how long the membership must be stable, with some nodes
    /// unreachable, before the side with the majority downs the others and the minority downs itself.
    /// </summary>
    public TimeSpan StableAfter { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// After a node is downed and removed, how long before its shards start on the survivors: time for the
    /// downed side, if it still runs, to stop its entities (its resolver downs it at the same moment).
    /// </summary>
    public TimeSpan RemovalMargin { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Mutual TLS on the links between nodes; required as soon as the node has seeds or listens beyond loopback.</summary>
    public NodeTlsSettings Tls { get; init; } = new();
}

/// <summary>
/// The node's certificate and the operation's certificate authority. Every node presents its certificate and
/// accepts a peer only if the peer's certificate chains to one of the authorities (several during a rotation).
/// </summary>
public sealed record NodeTlsSettings
{
    /// <summary>The node's certificate: a PKCS#12 file (.pfx, .p12) or a PEM certificate (with <see cref="PrivateKey"/>).</summary>
    public string? Certificate { get; init; }

    /// <summary>The PEM private key of a PEM <see cref="Certificate"/>; unused with PKCS#12.</summary>
    public string? PrivateKey { get; init; }

    /// <summary>The PKCS#12 file's password, or the PEM key's if it is encrypted.</summary>
    public string? Password { get; init; }

    /// <summary>A PEM file with the operation's CA certificate(s) that node certificates must chain to.</summary>
    public string? Authority { get; init; }

    public bool Enabled => !string.IsNullOrWhiteSpace(Certificate);
}

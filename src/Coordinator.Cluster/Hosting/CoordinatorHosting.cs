using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Cluster.Hosting.SBR;
using Akka.Cluster.Sharding;
using Akka.Configuration;
using Akka.Hosting;
using Akka.Persistence.Sql.Hosting;
using Akka.Remote.Hosting;
using Coordinator.Cluster.Access;
using Coordinator.Cluster.Control;
using Coordinator.Cluster.Facilities;
using Coordinator.Cluster.Family;
using Coordinator.Cluster.Sectors;
using Coordinator.Cluster.Serialization;
using Coordinator.Cluster.Teams;
using Coordinator.Cluster.Views;
using Coordinator.Domain;
using Coordinator.Domain.Access;
using Coordinator.Domain.Facilities;
using Coordinator.Domain.Family;
using Coordinator.Domain.Sectors;
using Coordinator.Domain.Teams;
using Coordinator.Domain.Views;

namespace Coordinator.Cluster.Hosting;

/// <summary>Akka.Hosting wiring, in small steps that read like the sentence in <see cref="WithCoordinator"/>.</summary>
public static class CoordinatorHosting
{
    public const string SystemName = "coordinator";

    /// <summary>How long the read side waits for a journal write still in flight before it skips its ordering.</summary>
    public static readonly TimeSpan GapPatience = TimeSpan.FromSeconds(10); // as the read journal's defaults (1 s × 10)

    /// <param name="prints">Keyed with a secret every node shares and the journal never holds (docs/security.md).</param>
    public static AkkaConfigurationBuilder WithCoordinator(this AkkaConfigurationBuilder builder, CoordinatorSettings settings,
        ReportPrints prints) => builder
        .WithCoordinatorLogging()
        .WithCoordinatorCluster(settings.Cluster)
        .WithCoordinatorPersistence(settings.Persistence)
        .WithCoordinatorSerialization()
        .WithFacilities(settings.Entities)
        .WithSectors(settings.Entities, prints)
        .WithTeams(settings.Entities)
        .WithTokens(settings.Entities)
        .WithInquiries(settings.Entities)
        .WithReadLog(settings.Entities)
        .WithLoneNodeShutdown()
        .WithCoordinatorViews(checkpoints: CheckpointPolicy.Of(settings.Persistence.CheckpointEvery, settings.Persistence.CheckpointInterval));

    /// <summary>Akka's own log goes through the host's logging, so one setting (text or JSON) covers both.</summary>
    public static AkkaConfigurationBuilder WithCoordinatorLogging(this AkkaConfigurationBuilder builder) =>
        builder.ConfigureLoggers(loggers =>
        {
            loggers.ClearLoggers();
            loggers.AddLoggerFactory();
        });

    public static AkkaConfigurationBuilder WithCoordinatorCluster(this AkkaConfigurationBuilder builder, ClusterSettings settings)
    {
        builder
            .WithNodeLinks(settings)
            .WithClustering(new ClusterOptions
            {
                SeedNodes = NodeLinks.SeedsFor(settings),
                Roles = settings.Roles,
                SplitBrainResolver = new KeepMajorityOption()
            })
            // A node that is downed (by the resolver or by an admin) stops itself rather than live on alone.
            .AddHocon($$"""
                akka.cluster.failure-detector.acceptable-heartbeat-pause = {{(int)settings.HeartbeatPause.TotalMilliseconds}}ms
                akka.cluster.split-brain-resolver.stable-after = {{(int)settings.StableAfter.TotalMilliseconds}}ms
                akka.cluster.down-removal-margin = {{(int)settings.RemovalMargin.TotalMilliseconds}}ms
                # A region whose shard lost its home asks the coordinator again this often (2 s by default).
                akka.cluster.sharding.retry-interval = 1s
                akka.cluster.run-coordinated-shutdown-when-down = on
                akka.coordinated-shutdown.exit-clr = off
                """, HoconAddMode.Prepend)
            .WithActors((system, registry) =>
                registry.Register<MemberWatch>(system.ActorOf(Props.Create(() => new MemberWatchActor()), "member-watch")));
        if (settings.Seeds.Length == 0)
            builder.AddStartup((system, _) =>
            {
                var cluster = Akka.Cluster.Cluster.Get(system);
                cluster.Join(cluster.SelfAddress);
            });
        return builder;
    }

    /// <summary>The journal, snapshot store and read journal on the configured database.</summary>
    public static AkkaConfigurationBuilder WithCoordinatorPersistence(this AkkaConfigurationBuilder builder,
        PersistenceSettings settings) => settings.Provider switch
        {
            PersistenceProvider.Sqlite => builder.WithSqlitePersistence(settings),
            PersistenceProvider.Postgres => builder.WithPostgresPersistence(settings),
            _ => throw new InvalidOperationException($"unknown persistence provider {settings.Provider}"),
        };

    /// <summary>What every provider shares: the SQL plugins, the key store beside them, writers, breakers, the read side's pace.</summary>
    public static AkkaConfigurationBuilder WithSqlJournal(this AkkaConfigurationBuilder builder, string connectionString, string provider,
        PersistenceSettings settings) => builder
        .WithSqlPersistence(connectionString, provider, autoInitialize: true)
        // Beside the journal, never in it: the keys that seal persons' and inquiries' details (docs/security.md, Erasure).
        .AddSetup(new PersonalDataKeysSetup(new PersonalDataKeys(connectionString, settings.Provider,
            settings.ErasureLedgerPath() is { } ledger ? new ErasureLedgerFile(ledger) : null)))
        .AddSetup(new CheckpointStoreSetup(new CheckpointStore(connectionString, settings.Provider)))
        .AddHocon($"akka.persistence.journal.sql.parallelism = {settings.WritersOrDefault}", HoconAddMode.Prepend)
        // After a database outage the journal and snapshot store stop trying for reset-timeout once their breakers
        // open, and entities could not recover that long after the database is back: a short reset lets one call
        // through every two seconds instead.
        .AddHocon("""
            akka.persistence.journal-plugin-fallback.circuit-breaker.reset-timeout = 2s
            akka.persistence.snapshot-store-plugin-fallback.circuit-breaker.reset-timeout = 2s
            """, HoconAddMode.Prepend)
        // How often the read side asks the journal for new events, and for the highest ordering it may read up to:
        // together the floor of the live views' latency. A gap in the orderings (a write still in flight) is waited
        // for max-tries × query-delay before it is skipped for good, so the tries grow as the delay shrinks: the
        // views must never miss a slow write.
        .AddHocon($$"""
            akka.persistence.query.journal.sql {
              refresh-interval = {{(int)settings.ViewRefresh.TotalMilliseconds}}ms
              journal-sequence-retrieval {
                query-delay = {{(int)settings.ViewRefresh.TotalMilliseconds}}ms
                max-tries = {{(int)Math.Ceiling(GapPatience.TotalMilliseconds / settings.ViewRefresh.TotalMilliseconds)}}
              }
            }
            """, HoconAddMode.Prepend);

    /// <summary>The connection string and Linq2Db provider the journal uses, with the SQLite file prepared.</summary>
    public static (string ConnectionString, string ProviderName) Resolve(PersistenceSettings settings) => settings.Provider switch
    {
        PersistenceProvider.Sqlite => (SqlitePersistence.Prepare(settings.ConnectionString), SqlitePersistence.Provider),
        PersistenceProvider.Postgres => (PostgresPersistence.ConnectionStringOf(settings), PostgresPersistence.Provider),
        _ => throw new InvalidOperationException($"unknown persistence provider {settings.Provider}"),
    };

    /// <summary>
    /// This node's projections of the journal, each with one job: access (read from the token registry alone, so quick
    /// that it needs no checkpoint), operations and the family desk (each from its checkpoint). These two start loading
    /// once access is current: on two cores their checkpoints took the processor from the node's own start, and a
    /// field unit's report and a lead's command, which wait for access alone, waited for them too.
    /// </summary>
    public static AkkaConfigurationBuilder WithCoordinatorViews(this AkkaConfigurationBuilder builder, int keepRecentBatches = 50_000,
        CheckpointPolicy? checkpoints = null) => builder
        .WithActors((system, registry) => registry.Register<JournalFollower>(
            system.ActorOf(Props.Create(() => new JournalFollower(FollowerKeeps)), "journal-follower")))
        .WithProjection(AccessProjection.Instance, JournalFeed.Of(TokenRegistryActor.JournalId), keepRecentBatches: 0, checkpoints: null)
        .WithProjection(OperationsProjection.Instance, JournalFeed.All, keepRecentBatches, checkpoints ?? CheckpointPolicy.Default, AfterAccess)
        .WithProjection(FamilyProjection.Instance, JournalFeed.All, keepRecentBatches, checkpoints ?? CheckpointPolicy.Default, AfterAccess);

    /// <summary>The journal's last events the follower keeps for a projection that joins it from its own catch-up.</summary>
    private const int FollowerKeeps = 10_000;

    private static Func<bool> AfterAccess(ActorSystem system) => () => Published<AccessView>.For(system).IsCurrent;

    /// <summary>
    /// A projection's actor, registered under its own type, so a stream subscribes to the one it reads. A projection of
    /// the whole journal follows it through the node's <see cref="JournalFollower"/> once it is current.
    /// </summary>
    public static AkkaConfigurationBuilder WithProjection<TState>(this AkkaConfigurationBuilder builder, Projection<TState> projection,
        JournalFeed feed, int keepRecentBatches, CheckpointPolicy? checkpoints, Func<ActorSystem, Func<bool>>? after = null)
        where TState : class =>
        builder.WithActors((system, registry) => registry.Register<ProjectionActor<TState>>(system.ActorOf(
            Props.Create(() => new ProjectionActor<TState>(projection, feed, keepRecentBatches, checkpoints, after == null ? null : after(system),
                feed.Shared ? registry.Get<JournalFollower>() : null)),
            $"{projection.Name}-projection")));

    public static AkkaConfigurationBuilder WithCoordinatorSerialization(this AkkaConfigurationBuilder builder) =>
        builder.WithCustomSerializer("coordinator-events", Manifests.BoundTypes, system => new EventSerializer(system));

    // Entity props take their arguments directly: Props.Create(() => new …) evaluates its expression's
    // arguments by compiling them, a cost paid again for every entity started.
    public static AkkaConfigurationBuilder WithFacilities(this AkkaConfigurationBuilder builder, EntitySettings settings) =>
        builder.WithShardRegion<FacilityRegion>("facility",
            (_, _, _) => id => Props.Create<FacilityActor>(id, settings),
            new FacilityMessageExtractor(settings.MaxShards), ShardOptionsFor(settings));

    public static AkkaConfigurationBuilder WithSectors(this AkkaConfigurationBuilder builder, EntitySettings settings, ReportPrints prints) =>
        builder.WithShardRegion<SectorRegion>("sector",
            (_, registry, _) => id => Props.Create<SectorActor>(SectorRefOf(id), settings, registry, prints),
            new SectorMessageExtractor(settings.MaxShards), ShardOptionsFor(settings));

    public static AkkaConfigurationBuilder WithTeams(this AkkaConfigurationBuilder builder, EntitySettings settings) =>
        builder.WithShardRegion<TeamRegion>("team",
            (_, registry, _) => id => Props.Create<TeamActor>(id, settings, registry),
            new TeamMessageExtractor(settings.MaxShards), ShardOptionsFor(settings));

    public static AkkaConfigurationBuilder WithTokens(this AkkaConfigurationBuilder builder, EntitySettings settings) =>
        builder.WithShardRegion<TokenRegion>("token",
            (_, _, _) => _ => Props.Create<TokenRegistryActor>(settings),
            new TokenMessageExtractor(1), ShardOptionsFor(settings));

    public static AkkaConfigurationBuilder WithInquiries(this AkkaConfigurationBuilder builder, EntitySettings settings) =>
        builder.WithShardRegion<InquiryRegion>("inquiry",
            (_, _, _) => id => Props.Create<InquiryActor>(id, settings),
            new InquiryMessageExtractor(settings.MaxShards), ShardOptionsFor(settings));

    public static AkkaConfigurationBuilder WithReadLog(this AkkaConfigurationBuilder builder, EntitySettings settings) =>
        builder.WithShardRegion<ReadLogRegion>("read-log",
            (_, _, _) => day => Props.Create<ReadLogActor>(day, settings),
            new ReadLogMessageExtractor(settings.MaxShards), ShardOptionsFor(settings));

    private static SectorRef SectorRefOf(string entityId)
    {
        var slash = entityId.IndexOf('/');
        return new SectorRef(entityId[..slash], entityId[(slash + 1)..]);
    }

    private static ShardOptions ShardOptionsFor(EntitySettings settings) => new()
    {
        PassivateIdleEntityAfter = settings.PassivateIdleAfter,
        ShouldPassivateIdleEntities = true,
        StateStoreMode = StateStoreMode.DData,
        HandOffStopMessage = StopEntity.Instance,
    };
}

using Akka.Actor;
using Akka.Hosting;
using Coordinator.Cluster.Hosting;
using Coordinator.Domain.Sectors;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Coordinator.Cluster.Tests.Support;

/// <summary>A real node's actor system, wired by the production extension methods, on a real journal.</summary>
public sealed class CoordinatorHost : IAsyncDisposable
{
    public static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(15);

    /// <summary>The report prints' key of the test nodes: any secret will do, as long as it is the same on every node.</summary>
    public static readonly ReportPrints TestPrints = new("cluster-tests report key"u8.ToArray());

    /// <summary>Small enough that the scenarios recover from snapshots as well as from events.</summary>
    public static readonly EntitySettings TestEntities = new()
    {
        SnapshotEvery = 3,
        RedeliverEvery = TimeSpan.FromMilliseconds(500),
        TeamCheckEvery = TimeSpan.FromSeconds(2)
    };

    private readonly IHost _host;

    private CoordinatorHost(IHost host)
    {
        _host = host;
        Registry = host.Services.GetRequiredService<IActorRegistry>();
        System = host.Services.GetRequiredService<ActorSystem>();
    }

    public IActorRegistry Registry { get; }
    public ActorSystem System { get; }

    public static Task<CoordinatorHost> StartAsync(PersistenceSettings persistence, EntitySettings? entities = null) =>
        StartAsync(akka =>
            akka.WithCoordinator(new CoordinatorSettings { Persistence = persistence, Entities = entities ?? TestEntities }, TestPrints));

    public static async Task<CoordinatorHost> StartAsync(Action<AkkaConfigurationBuilder> wiring)
    {
        var host = Host.CreateDefaultBuilder()
            .ConfigureLogging(l => l.ClearProviders())
            .ConfigureServices(services => services.AddAkka(CoordinatorHosting.SystemName, (akka, _) =>
            {
                akka.ConfigureLoggers(l => l.LogLevel = Akka.Event.LogLevel.WarningLevel);
                wiring(akka);
            }))
            .Build();
        await host.StartAsync();
        var node = new CoordinatorHost(host);
        await Eventually.Until(() =>
            Akka.Cluster.Cluster.Get(node.System).SelfMember.Status == Akka.Cluster.MemberStatus.Up, "the node joins itself");
        return node;
    }

    public async Task<object> Ask<TRegion>(object message) => await Registry.Get<TRegion>().Ask<object>(message, AskTimeout);

    public async Task<T> Ask<TRegion, T>(object message) => Assert.IsType<T>(await Ask<TRegion>(message));

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}

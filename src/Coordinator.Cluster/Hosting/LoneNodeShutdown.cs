using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Hosting;

namespace Coordinator.Cluster.Hosting;

/// <summary>
/// A node alone in its cluster (the embedded default, or the last node of a cluster) has nowhere to hand its shards
/// to, yet Akka's graceful shutdown hands them off all the same. A message that reaches a region after its shard was
/// handed off — under load, a sector's progress copy to its facility — waits for a new home that the coordinator has
/// no other region to give, and the region waits out its phase: the node took over 10 s to exit. Alone, the node
/// stops the senders first, the sectors, so their last copies reach facilities still hosted here; then every
/// region, once it hosts no shard, is stopped with whatever it still holds, which has no home before the node exits.
/// Every entity has stopped after the write under way by then, so everything answered is in the journal.
/// </summary>
public static class LoneNodeShutdown
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    public static AkkaConfigurationBuilder WithLoneNodeShutdown(this AkkaConfigurationBuilder builder) =>
        builder.WithActors((system, registry) =>
        {
            var cluster = Akka.Cluster.Cluster.Get(system);
            bool Alone() => cluster.State.Members.All(m => m.Address.Equals(cluster.SelfAddress));
            var sectors = registry.Get<SectorRegion>();
            IActorRef[] regions = [registry.Get<FacilityRegion>(), sectors, registry.Get<TeamRegion>(), registry.Get<TokenRegion>(),
                registry.Get<InquiryRegion>(), registry.Get<ReadLogRegion>()];
            var shutdown = CoordinatedShutdown.Get(system);
            shutdown.AddTask(CoordinatedShutdown.PhaseBeforeClusterShutdown, "lone-node-stop-sectors-first", async () =>
            {
                if (!Alone()) return Akka.Done.Instance;
                sectors.Tell(GracefulShutdown.Instance);
                await StopWhenEmptyAsync(sectors);
                return Akka.Done.Instance;
            });
            shutdown.AddTask(CoordinatedShutdown.PhaseClusterShardingShutdownRegion, "lone-node-stop-empty-regions", async () =>
            {
                if (Alone()) await Task.WhenAll(regions.Select(StopWhenEmptyAsync));
                return Akka.Done.Instance;
            });
        });

    /// <summary>Waits until the region hosts no shard (its entities have stopped), then stops it if it has not stopped itself.</summary>
    private static async Task StopWhenEmptyAsync(IActorRef region)
    {
        var stopped = region.WatchAsync();
        while (!stopped.IsCompleted)
        {
            var state = region.Ask<CurrentShardRegionState>(GetShardRegionState.Instance, TimeSpan.FromSeconds(1));
            if (await Task.WhenAny(state, stopped) == state && state.IsCompletedSuccessfully && state.Result.Shards.Count == 0)
            {
                region.Tell(PoisonPill.Instance);
                break;
            }
            await Task.WhenAny(stopped, Task.Delay(Poll));
        }
        await stopped;
    }
}

using System.Collections.Concurrent;
using System.Collections.Immutable;
using Akka.Actor;
using Akka.Actor.Dsl;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Akka.Hosting;

namespace Coordinator.Cluster.Control;

public sealed record MemberView(string Address, string Status, IReadOnlyList<string> Roles, bool Reachable, bool Leader, bool Self,
    DateTimeOffset? UpSince);

public sealed record ClusterView(string Self, string? Leader, IReadOnlyList<MemberView> Members, IReadOnlyList<string> Unreachable);

/// <summary>One shard region on one node: how many shards it hosts and how many entities are alive in them.</summary>
public sealed record RegionView(string Region, string Node, int Shards, int Entities);

public sealed record ActorView(string Path, int Children);

public enum ControlOutcome { Done, NotAMember }

/// <summary>
/// Cluster inspection and control behind the admin API and `coord cluster` (what Petabridge.Cmd's pbm does for
/// other Akka.NET systems; it cannot be installed here).
/// </summary>
public sealed class ClusterControl(ActorSystem system, IReadOnlyActorRegistry registry)
{
    /// <summary>Every shard region a node runs, by the name sharding knows it by.</summary>
    public static readonly IReadOnlyList<(string Name, Type Key)> Regions =
    [
        ("facility", typeof(FacilityRegion)), ("sector", typeof(SectorRegion)), ("team", typeof(TeamRegion)),
        ("token", typeof(TokenRegion)), ("inquiry", typeof(InquiryRegion)), ("read-log", typeof(ReadLogRegion)),
    ];

    private Akka.Cluster.Cluster Cluster => Akka.Cluster.Cluster.Get(system);

    public async Task<ClusterView> Show(TimeSpan timeout, CancellationToken ct)
    {
        var state = Cluster.State;
        var upSince = await registry.Get<MemberWatch>().Ask<ImmutableDictionary<UniqueAddress, DateTimeOffset>>(new GetUpTimes(), timeout, ct);
        var unreachable = state.Unreachable.Select(m => m.Address).ToHashSet();
        var members = state.Members.OrderBy(m => m, Member.AgeOrdering).Select(m => new MemberView(
            m.Address.ToString(), m.Status.ToString(), [.. m.Roles.Order()], !unreachable.Contains(m.Address), m.Address == state.Leader,
            m.Address == Cluster.SelfAddress, upSince.TryGetValue(m.UniqueAddress, out var t) ? t : null)).ToList();
        return new ClusterView(Cluster.SelfAddress.ToString(), state.Leader?.ToString(), members, [.. unreachable.Select(a => a.ToString())]);
    }

    /// <summary>Asks a member to leave gracefully: its shards are handed over before it stops.</summary>
    public ControlOutcome Leave(Address address)
    {
        if (!IsMember(address)) return ControlOutcome.NotAMember;
        Cluster.Leave(address);
        return ControlOutcome.Done;
    }

    /// <summary>Marks a member down: for a node known to be dead, so its shards move without waiting.</summary>
    public ControlOutcome Down(Address address)
    {
        if (!IsMember(address)) return ControlOutcome.NotAMember;
        Cluster.Down(address);
        return ControlOutcome.Done;
    }

    private bool IsMember(Address address) => Cluster.State.Members.Any(m => m.Address == address);

    /// <summary>Per region and node: shards and live entities, as the whole cluster reports them.</summary>
    public async Task<IReadOnlyList<RegionView>> Shards(TimeSpan timeout, CancellationToken ct)
    {
        var rows = new List<RegionView>();
        foreach (var (name, key) in Regions)
        {
            if (!registry.TryGet(key, out var region)) continue;
            var stats = await region.Ask<ClusterShardingStats>(new GetClusterShardingStats(timeout), timeout + timeout, ct);
            rows.AddRange(stats.Regions.Select(r => new RegionView(name, r.Key.ToString(), r.Value.Stats.Count, r.Value.Stats.Values.Sum())));
        }
        return [.. rows.OrderBy(r => r.Region, StringComparer.Ordinal).ThenBy(r => r.Node, StringComparer.Ordinal)];
    }

    /// <summary>This node's actor tree, two levels under /user and /system/sharding, with each actor's number of children.</summary>
    public async Task<IReadOnlyList<ActorView>> Actors(TimeSpan window, CancellationToken ct)
    {
        var tops = (await Task.WhenAll(new[] { "/user", "/system/sharding" }.Select(root => Children(root, window, ct)))).SelectMany(a => a);
        var rows = await Task.WhenAll(tops.Select(async actor =>
        {
            var path = actor.Path.ToStringWithoutAddress();
            return new ActorView(path, (await Children(path, window, ct)).Count);
        }));
        return [.. rows.OrderBy(r => r.Path, StringComparer.Ordinal)];
    }

    /// <summary>The actors under a path that answer Identify within the window.</summary>
    /// <remarks>
    /// Bounded by a plain delay, not by an Inbox's receive timeout, which does not reliably bound a request under load
    /// (docs/benchmarks.md, "Observations behind code").
    /// </remarks>
    private async Task<IReadOnlyList<IActorRef>> Children(string path, TimeSpan window, CancellationToken ct)
    {
        var found = new ConcurrentQueue<IActorRef>();
        // Under /system, so that a listing running beside this one does not count it among /user's actors.
        Action<IActorDsl> collect = dsl => dsl.Receive<ActorIdentity>((identity, _) =>
        {
            if (identity.Subject is { } subject) found.Enqueue(subject);
        });
        var collector = ((ExtendedActorSystem)system).SystemActorOf(Props.Create(() => new Act(collect)));
        try
        {
            system.ActorSelection($"{path}/*").Tell(new Identify(path), collector);
            await Task.Delay(window, ct).ContinueWith(_ => { }, TaskScheduler.Default);
        }
        finally { system.Stop(collector); }
        return [.. found];
    }
}

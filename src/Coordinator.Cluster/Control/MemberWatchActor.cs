using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster;

namespace Coordinator.Cluster.Control;

/// <summary>
/// When this node saw each member come up: Akka's member records carry no time. Members already up when this
/// node joined are dated when it first saw them.
/// </summary>
public sealed class MemberWatchActor : ReceiveActor
{
    private ImmutableDictionary<UniqueAddress, DateTimeOffset> _upSince = ImmutableDictionary<UniqueAddress, DateTimeOffset>.Empty;

    public MemberWatchActor()
    {
        Receive<ClusterEvent.MemberUp>(e => _upSince = _upSince.SetItem(e.Member.UniqueAddress, DateTimeOffset.UtcNow));
        Receive<ClusterEvent.MemberWeaklyUp>(e => _upSince = _upSince.SetItem(e.Member.UniqueAddress, DateTimeOffset.UtcNow));
        Receive<ClusterEvent.MemberRemoved>(e => _upSince = _upSince.Remove(e.Member.UniqueAddress));
        Receive<ClusterEvent.IMemberEvent>(_ => { });
        Receive<GetUpTimes>(_ => Sender.Tell(_upSince));
    }

    protected override void PreStart() =>
        Akka.Cluster.Cluster.Get(Context.System)
            .Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.IMemberEvent));

    protected override void PostStop() => Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);
}

public sealed record GetUpTimes;

/// <summary>Registry key of this node's <see cref="MemberWatchActor"/>.</summary>
public sealed class MemberWatch;

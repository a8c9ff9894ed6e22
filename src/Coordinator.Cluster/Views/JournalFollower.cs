using Akka.Actor;
using Akka.Event;
using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;
using Akka.Streams;
using Akka.Streams.Dsl;

namespace Coordinator.Cluster.Views;

/// <summary>
/// Follows the whole journal once for every projection on this node that reads all of it, so each new event is
/// queried and decoded once, not once per projection. A projection catches up on its own (from its checkpoint, at
/// its own pace) and then follows from where it stands: the events it may have missed meanwhile are among the last
/// ones kept here, or else it is told it is too far behind and catches up again.
/// </summary>
public sealed class JournalFollower : ReceiveActor, IWithTimers
{
    /// <summary>Every event after <paramref name="After"/> to the sender, each as an <see cref="Event"/> of <paramref name="Turn"/>.</summary>
    public sealed record Follow(long After, Guid Turn);

    public sealed record Unfollow;

    /// <summary>One event of the journal, for a follower's <see cref="Follow.Turn"/> (a restarted projection ignores its old turns').</summary>
    public sealed record Event(Guid Turn, EventEnvelope Envelope);

    /// <summary>The events after <see cref="After"/> are no longer kept: catch up from the journal, then follow again.</summary>
    public sealed record TooFarBehind(long After);

    private sealed record Next(EventEnvelope Envelope);
    private sealed record Ended(Exception? Error);
    private sealed record Resume;

    public ITimerScheduler Timers { get; set; } = null!;

    private readonly int _keep;
    private readonly Queue<EventEnvelope> _recent = new();
    private readonly Dictionary<IActorRef, Guid> _followers = [];
    /// <summary>Every event after this position is in <see cref="_recent"/>; -1 until the journal is followed.</summary>
    private long _floor = -1;
    private long _head;
    private IKillSwitch? _stream;

    public JournalFollower(int keep)
    {
        _keep = keep;
        Receive<Follow>(OnFollow);
        Receive<Unfollow>(_ => _followers.Remove(Sender));
        Receive<Terminated>(t => _followers.Remove(t.ActorRef));
        Receive<Next>(OnNext);
        Receive<Ended>(ended =>
        {
            // The followers keep their place: the journal is read again from the last event passed on.
            Context.GetLogger().Warning(ended.Error, "following the journal stopped at {0}; it is followed again in a second", _head);
            _stream = null;
            Timers.StartSingleTimer(nameof(Resume), new Resume(), TimeSpan.FromSeconds(1));
        });
        Receive<Resume>(_ => Read());
    }

    private void OnFollow(Follow f)
    {
        if (_floor < 0)
        {
            (_floor, _head) = (f.After, f.After);
            Read();
        }
        if (f.After < _floor)
        {
            Sender.Tell(new TooFarBehind(f.After));
            return;
        }
        foreach (var e in _recent)
            if (JournalFeed.All.Position(e) > f.After) Sender.Tell(new Event(f.Turn, e));
        _followers[Sender] = f.Turn;
        Context.Watch(Sender);
    }

    private void OnNext(Next next)
    {
        var position = JournalFeed.All.Position(next.Envelope);
        if (position <= _head) return;
        _head = position;
        _recent.Enqueue(next.Envelope);
        while (_recent.Count > _keep) _floor = JournalFeed.All.Position(_recent.Dequeue());
        foreach (var (follower, turn) in _followers) follower.Tell(new Event(turn, next.Envelope));
    }

    private void Read()
    {
        SqlReadJournal journal;
        try
        {
            journal = JournalReader.Of(Context.System);
        }
        catch (Exception e) when (e is AggregateException or AskTimeoutException)
        {
            Self.Tell(new Ended(e));
            return;
        }
        _stream = JournalFeed.All.Read(journal, _head, true)
            .ViaMaterialized(KillSwitches.Single<EventEnvelope>(), Keep.Right)
            .Select(e => new Next(e))
            .To(Sink.ActorRef<Next>(Self, new Ended(null), ex => new Ended(ex)))
            .Run(Context.System.Materializer());
    }

    protected override void PostStop() => _stream?.Shutdown();
}

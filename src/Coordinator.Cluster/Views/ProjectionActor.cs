using System.Data.Common;
using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using Coordinator.Cluster.Serialization;
using Coordinator.Domain.Family;
using Coordinator.Domain.Views;

namespace Coordinator.Cluster.Views;

/// <summary>How often a projection stores its state: after so many events, or so long after its last change.</summary>
public sealed record CheckpointPolicy(int Events, TimeSpan Interval)
{
    public static readonly CheckpointPolicy Default = new(10_000, TimeSpan.FromSeconds(30));

    public static CheckpointPolicy Of(int events, TimeSpan interval) => events > 0 && interval > TimeSpan.Zero
        ? new CheckpointPolicy(events, interval)
        : throw new InvalidOperationException(
            "Coordinator:Persistence:CheckpointEvery must be a positive number of events and CheckpointInterval a positive time, like 00:00:30");
}

/// <summary>
/// One projection on this node: it starts from its checkpoint (when it has one it can trust), follows its part of the
/// journal from there (polling at the read journal's refresh interval), folds each event into its state, keeps the recent
/// changes for clients that resume, and pushes new changes to subscribers. Every node runs one of each, so a reader on
/// any node sees every change from every node. After each event it publishes the state (<see cref="Published{TState}"/>);
/// a restarted actor goes on from the published state instead of folding the journal again.
/// </summary>
public sealed class ProjectionActor<TState> : ReceiveActor, IWithTimers where TState : class
{
    // A stream's messages carry its turn: those of a stream from before a restart may still be in the mailbox.
    private sealed record Envelope(Guid Turn, EventEnvelope Event);
    private sealed record StreamEnded(Guid Turn, Exception? Error);
    private sealed record StartStream;
    private sealed record AfterDue;
    private sealed record CaughtUp(Guid Turn);
    private sealed record Restored(TState? State, long Position, string LastEvent, string? Distrust);
    private sealed record CheckpointDue;
    private sealed record Checkpointed(long Position, int Bytes, TimeSpan Took, Exception? Error);

    public ITimerScheduler Timers { get; set; } = null!;

    private readonly Projection<TState> _projection;
    private readonly JournalFeed _feed;
    private readonly int _keep;
    private readonly CheckpointPolicy? _policy;
    private readonly Func<bool>? _after;
    private readonly IActorRef? _follower;
    private readonly Guid _turn = Guid.NewGuid();
    private readonly Queue<LiveBatch> _recent = new();
    private readonly HashSet<IActorRef> _subscribers = [];
    private readonly Published<TState> _published;
    private readonly PersonalDataKeys? _keys;
    private readonly CheckpointStore? _store;
    private readonly string _shape = CheckpointCodec.ShapeOf(typeof(TState));
    private TState _state;
    private long _position;
    private string _lastEvent = "";
    private IKillSwitch? _stream;
    private long _checkpointed;
    /// <summary>Changes at or before this position may not be in <see cref="_recent"/> (dropped, or folded before a restart).</summary>
    private long _forgotten;
    private bool _writing, _erasedSinceCheckpoint;

    /// <param name="policy">When to store checkpoints; null: never (a projection that is quick to fold).</param>
    /// <param name="after">What must hold before this projection starts loading; null: nothing.</param>
    /// <param name="follower">Once current, the projection takes the journal's new events from this <see cref="JournalFollower"/>
    /// (shared with the other projections of the whole journal); null: it follows its feed itself.</param>
    public ProjectionActor(Projection<TState> projection, JournalFeed feed, int keepRecentBatches, CheckpointPolicy? policy,
        Func<bool>? after = null, IActorRef? follower = null)
    {
        _after = after;
        _follower = follower;
        _projection = projection;
        _feed = feed;
        _keep = keepRecentBatches;
        _published = Published<TState>.For(Context.System);
        _keys = PersonalDataKeys.Of(Context.System);
        _store = policy is null ? null : CheckpointStore.Of(Context.System);
        _policy = _store is null ? null : policy;
        if (_published.IsCurrent || _published.Position > 0) (_state, _position) = (_published.Current, _published.Position);
        else (_state, _position) = (projection.Empty, 0);
        (_checkpointed, _forgotten) = (_position, _position);
        _published.Publish(_state, _position);
        Receive<Restored>(OnRestored);
        Receive<Envelope>(e => { if (e.Turn == _turn) Fold(e.Event); });
        Receive<JournalFollower.Event>(e => { if (e.Turn == _turn) Fold(e.Envelope); });
        Receive<JournalFollower.TooFarBehind>(_ => Read(live: false));
        Receive<Subscribe>(Subscribe);
        Receive<Unsubscribe>(_ => _subscribers.Remove(Sender));
        Receive<Terminated>(t => _subscribers.Remove(t.ActorRef));
        Receive<StreamEnded>(ended =>
        {
            if (ended.Turn == _turn) throw new InvalidOperationException("the journal stream ended", ended.Error); // a restart follows it again
        });
        Receive<StartStream>(_ => Follow());
        Receive<AfterDue>(_ => Begin());
        Receive<CaughtUp>(c =>
        {
            if (c.Turn != _turn) return;
            if (!_published.IsCurrent)
            {
                _published.MarkCurrent();
                Context.GetLogger().Info("the {0} projection is current at {1}", _projection.Name, _position);
            }
            Follow();
            // Folded from the start, its state is worth storing at once; started from a checkpoint, that one serves until the
            // next is due (storing the family desk takes a core for a second, just as the node's first requests arrive).
            Checkpoint(when: _checkpointed == 0 || _position - _checkpointed >= (_policy?.Events ?? int.MaxValue));
        });
        Receive<CheckpointDue>(_ => Checkpoint(when: _position > _checkpointed));
        Receive<Checkpointed>(OnCheckpointed);
    }

    protected override void PreStart()
    {
        if (_policy is not null) Timers.StartPeriodicTimer(nameof(CheckpointDue), new CheckpointDue(), _policy.Interval);
        Begin();
    }

    private void Begin()
    {
        if (_after?.Invoke() == false)
        {
            Timers.StartSingleTimer(nameof(AfterDue), new AfterDue(), TimeSpan.FromMilliseconds(100));
            return;
        }
        if (_policy is null || _position > 0) Follow();
        else Restore();
    }

    /// <summary>Loads the checkpoint off the actor's thread (a large state takes a moment); the journal is followed from where it stands.</summary>
    private void Restore()
    {
        var (store, keys, projection, name, shape, feed) = (_store!, _keys, _projection, _projection.Name, _shape, _feed);
        var system = Context.System;
        Task.Run(async () =>
        {
            var restored = await Load();
            if (restored.Distrust is not null && store.Discard(name) is { } key) keys?.Retire(key);
            return restored;
        }).PipeTo(Self, failure: e => new Restored(null, 0, "", $"it could not be read ({e.GetBaseException().Message})"));

        async Task<Restored> Load()
        {
            Restored Untrusted(string why) => new(null, 0, "", why);
            StoredCheckpoint? stored;
            try { stored = store.Load(name); }
            catch (Exception e) when (e is DbException or InvalidCastException) { return Untrusted($"it could not be read ({e.Message})"); }
            if (stored is null) return new Restored(null, 0, "", null);
            if (stored.Shape != shape) return Untrusted($"it was written by a version with another shape ({stored.Shape})");
            var journal = JournalReader.Of(system);
            var there = await journal.CurrentAllEvents(Offset.Sequence(Math.Max(0, stored.Position - 1))).Take(2)
                .RunWith(Sink.Seq<EventEnvelope>(), system.Materializer());
            if (!there.Any(e => feed.Position(e) == stored.Position && LastEventOf(e) == stored.LastEvent))
                return Untrusted($"the journal does not hold the event it was taken at ({stored.LastEvent} at {stored.Position})");
            byte[]? key = null;
            if (stored.KeyRecord is not null && (key = keys?.KeyOf(stored.KeyRecord)) is null) return Untrusted("its key is gone");
            TState state;
            try
            {
                state = CheckpointCodec.Decode<TState>(stored.State, key, stored.KeyRecord);
            }
            catch (Exception e)
            {
                return Untrusted($"it could not be read ({e.GetBaseException().Message})");
            }
            return keys?.Ledger is { } ledger && projection.Reveals(state, PersonalDataKeys.Listed(ledger.Records()))
                ? Untrusted("it shows details the erasure ledger lists as erased (a restored backup's)")
                : new Restored(state, stored.Position, stored.LastEvent, null);
        }
    }

    private void OnRestored(Restored r)
    {
        if (r.State is null)
            Context.GetLogger().Info("the {0} projection folds the journal from the start: {1}", _projection.Name,
                r.Distrust is null ? "it has no checkpoint yet" : $"its checkpoint is not trusted and was discarded, {r.Distrust}");
        else
        {
            (_state, _position, _lastEvent, _checkpointed, _forgotten) = (r.State, r.Position, r.LastEvent, r.Position, r.Position);
            _published.Publish(_state, _position);
            Context.GetLogger().Info("the {0} projection starts from its checkpoint at {1}", _projection.Name, _position);
        }
        Follow();
    }

    /// <summary>What the journal holds now, to its end (then the projection is current), then every event to come.</summary>
    private void Follow()
    {
        if (_follower is not null && _published.IsCurrent) _follower.Tell(new JournalFollower.Follow(_position, _turn));
        else Read(live: _published.IsCurrent);
    }

    private void Read(bool live)
    {
        _stream?.Shutdown();
        SqlReadJournal journal;
        try
        {
            journal = JournalReader.Of(Context.System);
        }
        catch (Exception e) when (e is AggregateException or AskTimeoutException)
        {
            // The read journal waits for the write journal, which may still be preparing its tables on a slow
            // or busy database: try again rather than leave this node without the projection.
            Context.GetLogger().Warning(e, "the read journal is not ready; the {0} projection tries again in a second", _projection.Name);
            Timers.StartSingleTimer(nameof(StartStream), new StartStream(), TimeSpan.FromSeconds(1));
            return;
        }
        var turn = _turn;
        _stream = _feed.Read(journal, _position, live)
            .ViaMaterialized(KillSwitches.Single<EventEnvelope>(), Keep.Right)
            .Select(e => new Envelope(turn, e))
            .To(Sink.ActorRef<Envelope>(Self, live ? new StreamEnded(turn, null) : new CaughtUp(turn), ex => new StreamEnded(turn, ex)))
            .Run(Context.System.Materializer());
    }

    protected override void PostStop()
    {
        _stream?.Shutdown();
        _follower?.Tell(new JournalFollower.Unfollow(), Self);
    }

    private static string LastEventOf(EventEnvelope e) => $"{e.PersistenceId}#{e.SequenceNr}";

    private void Fold(EventEnvelope e)
    {
        var position = _feed.Position(e);
        if (position <= _position) return;
        // Every node deletes (idempotently) and forgets an erased record's key as it reads the erasure, before
        // going past it: a failure here restarts the projection on this event, so no node keeps a key after the fact.
        var erased = PersonalDataKeys.ErasedBy(e.Event);
        if (erased is not null) _keys?.Erase(erased);
        var (state, changes) = _projection.Apply(_state, e.Event, position);
        (_state, _position, _lastEvent) = (state, position, LastEventOf(e));
        _published.Publish(state, position);
        if (erased is not null)
        {
            MaskRecent(ErasedRecords.In([e.Event]));
            // The stored checkpoint still holds the erased details, sealed: replace it (and retire its key) now.
            _erasedSinceCheckpoint = _projection.HoldsPersonalData;
            Checkpoint(when: _erasedSinceCheckpoint);
        }
        else Checkpoint(when: _position - _checkpointed >= (_policy?.Events ?? int.MaxValue));
        if (changes.Count == 0) return;
        var batch = new LiveBatch(position, changes);
        _recent.Enqueue(batch);
        while (_recent.Count > _keep) _forgotten = _recent.Dequeue().Offset;
        foreach (var s in _subscribers) s.Tell(batch);
    }

    /// <summary>
    /// Stores the state as it is now, off the actor's thread (the state is immutable): one write at a time, and only
    /// once the projection is current (a state half-way through the journal is not worth keeping).
    /// </summary>
    private void Checkpoint(bool when)
    {
        if (!when || _policy is null || _writing || !_published.IsCurrent || _position == _checkpointed) return;
        _writing = true;
        _erasedSinceCheckpoint = false;
        var (store, keys, name, shape) = (_store!, _keys, _projection.Name, _shape);
        var (state, position, lastEvent, sealedState) = (_state, _position, _lastEvent, _projection.HoldsPersonalData && _keys is not null);
        Task.Run(() =>
        {
            var took = Stopwatch.StartNew();
            var keyRecord = sealedState ? $"checkpoint:{name}:{Guid.NewGuid():N}" : null;
            var key = keyRecord is null ? null : keys!.KeysFor([keyRecord])[keyRecord];
            var bytes = CheckpointCodec.Encode(state, key, keyRecord);
            var (stored, replaced) = store.Save(name, new StoredCheckpoint(shape, position, lastEvent, bytes, keyRecord));
            if (!stored && keyRecord is not null) keys!.Retire(keyRecord);
            if (replaced is not null) keys?.Retire(replaced);
            return new Checkpointed(position, bytes.Length, took.Elapsed, null);
        }).PipeTo(Self, failure: e => new Checkpointed(position, 0, TimeSpan.Zero, e));
    }

    private void OnCheckpointed(Checkpointed c)
    {
        _writing = false;
        if (c.Error is not null)
        {
            // The journal still holds everything: the next checkpoint tries again.
            Context.GetLogger().Warning(c.Error, "the {0} projection could not store its checkpoint at {1}", _projection.Name, c.Position);
            return;
        }
        _checkpointed = Math.Max(_checkpointed, c.Position);
        Context.GetLogger().Debug("the {0} projection stored its checkpoint at {1}: {2} bytes in {3} ms", _projection.Name, c.Position, c.Bytes,
            (int)c.Took.TotalMilliseconds);
        Checkpoint(when: _erasedSinceCheckpoint);
    }

    /// <summary>The changes kept for resuming clients no longer show what was just erased.</summary>
    private void MaskRecent(ErasedRecords erased)
    {
        var kept = _recent.Select(b => b with { Changes = [.. b.Changes.Select(erased.Mask)] }).ToList();
        _recent.Clear();
        foreach (var batch in kept) _recent.Enqueue(batch);
    }

    private void Subscribe(Subscribe s)
    {
        if (s.AfterOffset >= 0)
        {
            // A projection's changes are sparse (the family desk's are few among the journal's events): what it holds is
            // every change after the position it has forgotten up to, so a client from before that must reload.
            if (_forgotten > 0 && s.AfterOffset <= _forgotten)
            {
                Sender.Tell(new ResumeTooOld(_recent.TryPeek(out var kept) ? kept.Offset : _position));
                return;
            }
            foreach (var batch in _recent.Where(b => b.Offset >= s.AfterOffset))
            {
                var skip = batch.Offset == s.AfterOffset ? s.AfterIndex + 1 : 0;
                if (skip < batch.Changes.Count) Sender.Tell(new LiveBatch(batch.Offset, batch.Changes.Skip(skip).ToList(), skip));
            }
        }
        _subscribers.Add(Sender);
        Context.Watch(Sender);
    }
}

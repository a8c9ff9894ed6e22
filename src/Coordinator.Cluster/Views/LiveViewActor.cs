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

/// <summary>
/// This node's live view: it follows the journal from the start (AllEvents, polling at the read journal's
/// refresh interval), folds each event into the <see cref="Board"/>, keeps the recent changes for clients
/// that resume, and pushes new changes to subscribers. Every node runs one, so a monitor on any node sees
/// every change from every node. After each event it publishes the board (<see cref="PublishedBoard"/>) for
/// readers; a restarted view goes on from the published board instead of folding the journal again.
/// </summary>
public sealed class LiveViewActor : ReceiveActor, IWithTimers
{
    private sealed record Envelope(EventEnvelope Event);
    private sealed record StreamEnded(Exception? Error);
    private sealed record StartStream;
    private sealed record CaughtUp;

    public ITimerScheduler Timers { get; set; } = null!;

    private readonly int _keep;
    private readonly Queue<LiveBatch> _recent = new();
    private readonly HashSet<IActorRef> _subscribers = [];
    private readonly PublishedBoard _published;
    private readonly PersonalDataKeys? _keys;
    private Board _board;
    private IKillSwitch? _stream;

    public LiveViewActor(int keepRecentBatches)
    {
        _keep = keepRecentBatches;
        _published = PublishedBoard.For(Context.System);
        _keys = PersonalDataKeys.Of(Context.System);
        _board = _published.Current;
        Receive<Envelope>(e => Fold(e.Event));
        Receive<Subscribe>(Subscribe);
        Receive<Unsubscribe>(_ => _subscribers.Remove(Sender));
        Receive<Terminated>(t => _subscribers.Remove(t.ActorRef));
        Receive<StreamEnded>(ended => throw new InvalidOperationException("the journal stream ended", ended.Error)); // a restart follows it again
        Receive<StartStream>(_ => Follow());
        Receive<CaughtUp>(_ =>
        {
            _published.MarkCurrent();
            Follow();
        });
    }

    protected override void PreStart() => Follow();

    private void Follow()
    {
        SqlReadJournal journal;
        try
        {
            journal = PersistenceQuery.Get(Context.System).ReadJournalFor<SqlReadJournal>(SqlReadJournal.Identifier);
        }
        catch (Exception e) when (e is AggregateException or AskTimeoutException)
        {
            // The read journal waits for the write journal, which may still be preparing its tables on a slow
            // or busy database: try again rather than leave this node without a view.
            Context.GetLogger().Warning(e, "the read journal is not ready; the live view tries again in a second");
            Timers.StartSingleTimer(nameof(StartStream), new StartStream(), TimeSpan.FromSeconds(1));
            return;
        }
        var self = Self;
        // First what the journal holds now, to its end (then the node may accept tokens), then every event to come.
        var events = _published.IsCurrent ? journal.AllEvents(Offset.Sequence(_board.Offset))
            : journal.CurrentAllEvents(Offset.Sequence(_board.Offset));
        var ended = _published.IsCurrent ? new StreamEnded(null) : (object)new CaughtUp();
        _stream = events
            .ViaMaterialized(KillSwitches.Single<EventEnvelope>(), Keep.Right)
            .Select(e => new Envelope(e))
            .To(Sink.ActorRef<Envelope>(self, ended, ex => new StreamEnded(ex)))
            .Run(Context.System.Materializer());
    }

    protected override void PostStop() => _stream?.Shutdown();

    private void Fold(EventEnvelope e)
    {
        var offset = ((Sequence)e.Offset).Value;
        if (offset <= _board.Offset) return;
        // Every node deletes (idempotently) and forgets an erased record's key as it reads the erasure, before
        // going past it: a failure here restarts the view on this event, so no node keeps a key after the fact.
        var erased = PersonalDataKeys.ErasedBy(e.Event);
        if (erased is not null) _keys?.Erase(erased);
        var (board, changes) = _board.Apply(e.Event, offset);
        _board = board;
        _published.Publish(board);
        if (erased is not null) MaskRecent(ErasedRecords.In([e.Event]));
        if (changes.Count == 0) return;
        var batch = new LiveBatch(offset, changes);
        _recent.Enqueue(batch);
        while (_recent.Count > _keep) _recent.Dequeue();
        foreach (var s in _subscribers) s.Tell(batch);
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
            if (s.AfterOffset < _board.Offset && (!_recent.TryPeek(out var oldest) || s.AfterOffset < oldest.Offset - 1))
            {
                Sender.Tell(new ResumeTooOld(_recent.TryPeek(out var kept) ? kept.Offset : _board.Offset));
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

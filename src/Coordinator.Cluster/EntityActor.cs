using Akka.Actor;
using Akka.Persistence;
using Coordinator.Cluster.Serialization;
using Coordinator.Domain;

namespace Coordinator.Cluster;

/// <summary>
/// Sent by sharding to stop an entity (idle passivation, hand-off). Unlike a PoisonPill it waits behind a write
/// under way, so an entity is never stopped between persisting and replying.
/// </summary>
public sealed record StopEntity
{
    public static readonly StopEntity Instance = new();
}

/// <summary>What every persistent entity shares: a graceful stop and periodic snapshots that replace the previous one.</summary>
public abstract class EntityActor : ReceivePersistentActor
{
    protected EntitySettings Settings { get; }

    protected EntityActor(EntitySettings settings)
    {
        Settings = settings;
    }

    private string Kind => GetType().Name.Replace("Actor", "").ToLowerInvariant();

    protected override void PreStart()
    {
        Telemetry.LiveEntities.Add(1, new KeyValuePair<string, object?>("kind", Kind));
        base.PreStart();
    }

    protected override void PostStop()
    {
        Telemetry.LiveEntities.Add(-1, new KeyValuePair<string, object?>("kind", Kind));
        base.PostStop();
    }

    /// <summary>Call once per behaviour that persists.</summary>
    protected void CommandHousekeeping()
    {
        Command<StopEntity>(_ => Context.Stop(Self));
        Command<SaveSnapshotSuccess>(s => DeleteSnapshots(new SnapshotSelectionCriteria(s.Metadata.SequenceNr - 1)));
        Command<SaveSnapshotFailure>(_ => { }); // the journal still has every event; the next snapshot tries again
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(_ => { });
    }

    /// <summary>
    /// The shell's one job: a refusal is answered as such; accepted events are persisted and evolved, and the
    /// reply is sent once they are stored (an entity never answers for a write that may still fail).
    /// </summary>
    protected void Record<TEvent>(Decision<TEvent> decision, Action<TEvent> evolve, Func<IReadOnlyList<TEvent>, object> reply, Func<object> snapshot)
    {
        var replyTo = Sender;
        switch (decision)
        {
            case Decision<TEvent>.Refused r:
                replyTo.Tell(new CommandRefused(r.Refusal));
                break;
            case Decision<TEvent>.Accepted { Events.Count: 0 } a:
                replyTo.Tell(reply(a.Events));
                break;
            case Decision<TEvent>.Accepted a:
                Store(a.Events, evolve, replyTo, () =>
                {
                    replyTo.Tell(reply(a.Events));
                    SnapshotIfDue(a.Events.Count, snapshot());
                });
                break;
            default:
                throw new InvalidOperationException($"{GetType().Name} cannot record {decision.GetType().Name}");
        }
    }

    private IActorRef? _awaitingWrite;
    private bool _writeRejected;

    /// <summary>
    /// Persists the events and runs <paramref name="stored"/> once they are. If the journal fails the write,
    /// <paramref name="replyTo"/> is told at once that nothing was recorded (rather than left to time out), and
    /// the entity stops, to recover from the journal on its next message.
    /// </summary>
    protected void Store<TEvent>(IReadOnlyList<TEvent> events, Action<TEvent> evolve, IActorRef? replyTo, Action stored)
    {
        _awaitingWrite = replyTo;
        _writeRejected = false;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        PersistAll(events, evolve);
        DeferAsync(events, _ =>
        {
            Telemetry.JournalWriteDuration.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            _awaitingWrite = null;
            if (_writeRejected) return; // answered already; nothing of it happened
            // An erasure is answered once its key is gone here; every node's live view deletes it too (idempotent).
            foreach (var record in events.Select(e => PersonalDataKeys.ErasedBy(e!)).OfType<string>())
                PersonalDataKeys.Of(Context.System)?.Erase(record);
            stored();
        });
    }

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        _awaitingWrite?.Tell(CommandRefused.Unavailable("the journal"));
        _awaitingWrite = null;
        base.OnPersistFailure(cause, @event, sequenceNr);
    }

    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        _writeRejected = true;
        _awaitingWrite?.Tell(CommandRefused.Unavailable("the journal"));
        _awaitingWrite = null;
        base.OnPersistRejected(cause, @event, sequenceNr);
    }

    /// <summary>Snapshots when the last <paramref name="written"/> events crossed a multiple of the interval.</summary>
    protected void SnapshotIfDue(int written, object state)
    {
        if (LastSequenceNr / Settings.SnapshotEvery != (LastSequenceNr - written) / Settings.SnapshotEvery)
            SaveSnapshot(state);
    }
}

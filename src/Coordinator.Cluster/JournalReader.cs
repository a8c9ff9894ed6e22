using Akka.Actor;
using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;
using Akka.Streams;
using Akka.Streams.Dsl;

namespace Coordinator.Cluster;

/// <summary>Reads the journal itself (Akka.Persistence.Query): which entities exist, and one entity's history.</summary>
public sealed class JournalReader(ActorSystem system)
{
    private SqlReadJournal Journal => Of(system);

    /// <summary>The SQL read journal; it throws while the write journal is still preparing its tables.</summary>
    internal static SqlReadJournal Of(ActorSystem system) =>
        PersistenceQuery.Get(system).ReadJournalFor<SqlReadJournal>(SqlReadJournal.Identifier);

    public async Task<IReadOnlyList<string>> PersistenceIdsStartingWith(string prefix, CancellationToken ct = default) =>
        await Journal.CurrentPersistenceIds()
            .Where(id => id.StartsWith(prefix, StringComparison.Ordinal))
            .RunWith(Sink.Seq<string>(), system.Materializer())
            .WaitAsync(ct);

    /// <summary>Every event in journal order: what the live views are folded from.</summary>
    public async Task<IReadOnlyList<EventEnvelope>> AllEvents(CancellationToken ct = default) =>
        await Journal.CurrentAllEvents(Offset.NoOffset())
            .RunWith(Sink.Seq<EventEnvelope>(), system.Materializer())
            .WaitAsync(ct);

    /// <summary>The events after offset <paramref name="after"/> and before <paramref name="before"/>, in journal order.</summary>
    public async Task<IReadOnlyList<EventEnvelope>> EventsBetween(long after, long before, CancellationToken ct = default) =>
        await Journal.CurrentAllEvents(Offset.Sequence(after))
            .Where(e => ((Sequence)e.Offset).Value > after)
            .TakeWhile(e => ((Sequence)e.Offset).Value < before)
            .RunWith(Sink.Seq<EventEnvelope>(), system.Materializer())
            .WaitAsync(ct);

    public async Task<IReadOnlyList<EventEnvelope>> EventsOf(string persistenceId, CancellationToken ct = default) =>
        await Journal.CurrentEventsByPersistenceId(persistenceId, 0, long.MaxValue)
            .RunWith(Sink.Seq<EventEnvelope>(), system.Materializer())
            .WaitAsync(ct);
}

public static class EventEnvelopes
{
    /// <summary>The same entry of the journal, read as another event (erased details masked).</summary>
    public static EventEnvelope WithEvent(this EventEnvelope e, object @event) =>
        ReferenceEquals(@event, e.Event) ? e : new EventEnvelope(e.Offset, e.PersistenceId, e.SequenceNr, @event, e.Timestamp, e.Tags);
}

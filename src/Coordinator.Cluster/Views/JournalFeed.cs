using Akka;
using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;
using Akka.Streams.Dsl;

namespace Coordinator.Cluster.Views;

/// <summary>
/// What part of the journal a projection follows, and how its position is counted: the whole journal by offset,
/// or one entity's events by sequence number (the access projection reads the token registry alone, so a node
/// checks tokens without reading the rest of a large journal first). The whole journal is <see cref="Shared"/>: once
/// current, its projections take new events from one <see cref="JournalFollower"/> rather than each reading them.
/// </summary>
public sealed record JournalFeed(Func<SqlReadJournal, long, bool, Source<EventEnvelope, NotUsed>> Read, Func<EventEnvelope, long> Position,
    bool Shared = false)
{
    public static readonly JournalFeed All = new(
        (journal, after, live) => live ? journal.AllEvents(Offset.Sequence(after)) : journal.CurrentAllEvents(Offset.Sequence(after)),
        e => ((Sequence)e.Offset).Value, Shared: true);

    public static JournalFeed Of(string persistenceId) => new(
        (journal, after, live) => live
            ? journal.EventsByPersistenceId(persistenceId, after + 1, long.MaxValue)
            : journal.CurrentEventsByPersistenceId(persistenceId, after + 1, long.MaxValue),
        e => e.SequenceNr);
}

using Akka.Actor;
using Coordinator.Domain.Family;

namespace Coordinator.Cluster.Family;

/// <summary>One day's log of reads of persons' records: a read is answered only once it is stored.</summary>
public sealed class ReadLogActor : EntityActor
{
    public override string PersistenceId { get; }

    public ReadLogActor(string day, EntitySettings settings) : base(settings)
    {
        PersistenceId = $"reads-{day}";
        Recover<PersonRecordsRead>(_ => { }); // nothing to decide on: the log is read from the journal
        Command<RecordRead>(r =>
        {
            var replyTo = Sender;
            Persist(new PersonRecordsRead(r.Day, r.Subject, r.Purpose, r.Persons, r.Inquiries, DateTimeOffset.UtcNow),
                _ => replyTo.Tell(new CommandAccepted(LastSequenceNr, new EntityStatus.ReadLogged())));
        });
        CommandHousekeeping();
    }
}

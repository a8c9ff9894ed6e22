using Akka.Persistence;

namespace Coordinator.Cluster;

/// <summary>What every persistent entity shares: periodic snapshots that replace the previous one.</summary>
public abstract class EntityActor : ReceivePersistentActor
{
    protected EntitySettings Settings { get; }

    protected EntityActor(EntitySettings settings)
    {
        Settings = settings;
    }

    /// <summary>Call once per behaviour that persists.</summary>
    protected void CommandSnapshotHousekeeping()
    {
        Command<SaveSnapshotSuccess>(s => DeleteSnapshots(new SnapshotSelectionCriteria(s.Metadata.SequenceNr - 1)));
        Command<SaveSnapshotFailure>(_ => { }); // the journal still has every event; the next snapshot tries again
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(_ => { });
    }

    /// <summary>Snapshots when the last <paramref name="written"/> events crossed a multiple of the interval.</summary>
    protected void SnapshotIfDue(int written, object state)
    {
        if (LastSequenceNr / Settings.SnapshotEvery != (LastSequenceNr - written) / Settings.SnapshotEvery)
            SaveSnapshot(state);
    }
}

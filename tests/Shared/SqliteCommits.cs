using System.Diagnostics.Metrics;
using Coordinator.Cluster;

namespace Coordinator.Testing;

/// <summary>Counts the write transactions the in-process node commits to its SQLite file (each a flush to disk).</summary>
public sealed class SqliteCommits : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _count;

    public SqliteCommits()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument == Telemetry.SqliteCommits) listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _count, value));
        _listener.Start();
    }

    public long Count => Interlocked.Read(ref _count);

    public void Dispose() => _listener.Dispose();
}

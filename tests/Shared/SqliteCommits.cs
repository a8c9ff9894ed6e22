using System.Diagnostics.Metrics;
using Coordinator.Cluster;

namespace Coordinator.Testing;

/// <summary>Counts the write transactions in-process nodes commit to their SQLite files (each a flush to disk): to one file, or to any.</summary>
public sealed class SqliteCommits : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _count;

    public SqliteCommits(string? file = null)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument == Telemetry.SqliteCommits) listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
                if (tag.Key == "file" && (file is null || Path.GetFullPath((string)tag.Value!) == Path.GetFullPath(file)))
                    Interlocked.Add(ref _count, value);
        });
        _listener.Start();
    }

    public long Count => Interlocked.Read(ref _count);

    public void Dispose() => _listener.Dispose();
}

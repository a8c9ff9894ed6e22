using System.Text;
using Coordinator.Domain.Family;

namespace Coordinator.Cluster.Serialization;

/// <summary>
/// The node's erasure ledger on disk (<see cref="ErasureLedger"/>): a file kept apart from the database, so restoring
/// a backup never overwrites it. A record is appended and flushed to disk before its key is deleted, so no erasure
/// can be lost between the two; the file is the owner's alone (0600, tightened if it was wider).
/// </summary>
public sealed class ErasureLedgerFile
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly Lock _lock = new();
    private readonly HashSet<string> _listed;
    private readonly List<string> _records;
    private bool _unfinishedLine;

    /// <summary>Reads the ledger, or creates it empty; a ledger that cannot be read stops the node from starting.</summary>
    public ErasureLedgerFile(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        var folder = System.IO.Path.GetDirectoryName(Path)!;
        if (!Directory.Exists(folder))
        {
            if (OperatingSystem.IsWindows()) Directory.CreateDirectory(folder);
            else Directory.CreateDirectory(folder, OwnerOnly | UnixFileMode.UserExecute);
        }
        using (var created = new FileStream(Path, Options(FileMode.OpenOrCreate))) { }
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(Path) & ~OwnerOnly) != 0) File.SetUnixFileMode(Path, OwnerOnly);
        var text = File.ReadAllText(Path, Encoding.UTF8);
        ErasureLedger.Read read;
        try { read = ErasureLedger.Parse(text); }
        catch (FormatException e)
        {
            throw new InvalidOperationException($"the erasure ledger {Path} cannot be read: {e.Message}. Nothing was changed; "
                + "correct that line (docs/operations.md, Restore)", e);
        }
        _records = [.. read.Records];
        _listed = new HashSet<string>(read.Records, StringComparer.Ordinal);
        if (read.Torn) DropTornLine(text);
        else _unfinishedLine = text.Length > 0 && !text.EndsWith('\n');
    }

    public string Path { get; }

    /// <summary>Every record listed, first listed first.</summary>
    public IReadOnlyList<string> Records()
    {
        lock (_lock) return [.. _records];
    }

    public bool Lists(string record)
    {
        lock (_lock) return _listed.Contains(record);
    }

    /// <summary>Adds the record, on disk (fsync) before it returns; a record listed already is not written again.</summary>
    public void Append(string record)
    {
        if (!ErasureLedger.IsRecord(record)) throw new ArgumentException($"'{record}' is not a record of the erasure ledger", nameof(record));
        lock (_lock)
        {
            if (_listed.Contains(record)) return;
            using var file = new FileStream(Path, Options(FileMode.Append));
            // A line cut short by a crash stays a line of its own: the record after it must not join it.
            file.Write(Encoding.UTF8.GetBytes((_unfinishedLine ? "\n" : "") + record + "\n"));
            file.Flush(flushToDisk: true);
            _unfinishedLine = false;
            _listed.Add(record);
            _records.Add(record);
        }
    }

    /// <summary>A write cut short by a crash is undone (its erasure is listed again as the node reads it from its journal).</summary>
    private void DropTornLine(string text)
    {
        using var file = new FileStream(Path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
        file.SetLength(Encoding.UTF8.GetByteCount(text[..(text.LastIndexOf('\n') + 1)]));
        file.Flush(flushToDisk: true);
    }

    private static FileStreamOptions Options(FileMode mode)
    {
        var options = new FileStreamOptions { Mode = mode, Access = FileAccess.Write, Share = FileShare.ReadWrite };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = OwnerOnly;
        return options;
    }
}

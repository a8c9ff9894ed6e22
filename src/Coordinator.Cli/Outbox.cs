using System.Text.Json.Nodes;

namespace Coordinator.Cli;

/// <summary>
/// Field reports that could not be delivered, in the order they were made, one JSON line each with its report id.
/// Resending keeps the ids, so the server applies each exactly once however often a flush is tried.
/// Each report stays the JSON it is sent as, not a record read back: a word the node will refuse (a method typed
/// wrong while offline) is kept and sent, and a file an earlier coord wrote reads the same.
/// The reports name persons found and where: the file is the owner's alone (0600), in a folder that is too when
/// `coord` makes it (0700).
/// </summary>
/// <param name="lockWait">How long a run waits for another run that holds the outbox before it gives up.</param>
public sealed class Outbox(string path, TimeSpan lockWait)
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyFolder = OwnerOnly | UnixFileMode.UserExecute;

    public string Path { get; } = path;

    private string LockPath => Path + ".lock";

    /// <summary>~/.coord: coord's own folder, tightened if an older coord made it open to others.</summary>
    private static string DefaultFolder => System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".coord");

    public static string DefaultPath =>
        Environment.GetEnvironmentVariable("COORD_OUTBOX") is { Length: > 0 } p ? p : System.IO.Path.Combine(DefaultFolder, "outbox.jsonl");

    /// <summary>The reports waiting, oldest first. Safe to read while another run holds the outbox: the file is only ever replaced whole.</summary>
    public IReadOnlyList<JsonObject> Pending() =>
        File.Exists(Path)
            ? File.ReadAllLines(Path).Where(l => l.Trim().Length > 0).Select(l => JsonNode.Parse(l)!.AsObject()).ToList()
            : [];

    /// <summary>
    /// The outbox for this run alone until disposed, held across read, change and write and across a flush: two runs
    /// at once take turns instead of each writing back what it read and losing the other's report. The lock is an
    /// open handle, so a run that dies lets go of it. Null, and why, when it is still held after the wait.
    /// </summary>
    public async Task<(Held? Held, string? Busy)> HoldAsync(CancellationToken ct)
    {
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!;
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(folder);
        else if (!Directory.Exists(folder)) Directory.CreateDirectory(folder, OwnerOnlyFolder);
        // Only a folder coord owns is tightened: --outbox may name a file in a shared folder such as /tmp.
        else if (folder == System.IO.Path.GetFullPath(DefaultFolder)) File.SetUnixFileMode(folder, OwnerOnlyFolder);

        var deadline = DateTime.UtcNow + lockWait;
        while (true)
        {
            try
            {
                var held = new Held(this, Open(LockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite));
                if (!OperatingSystem.IsWindows() && File.Exists(Path)) File.SetUnixFileMode(Path, OwnerOnly);
                return (held, null);
            }
            catch (IOException e) when (e is not (FileNotFoundException or DirectoryNotFoundException or PathTooLongException))
            {
                if (DateTime.UtcNow >= deadline)
                    return (null, $"another coord run holds the outbox {Path} (waited {lockWait.TotalSeconds:0} s for {LockPath}: {e.Message})");
                await Task.Delay(TimeSpan.FromMilliseconds(50), ct);
            }
        }
    }

    /// <summary>Opened exclusively, created owner-only, and made owner-only if it was left wider.</summary>
    internal static FileStream Open(string file, FileMode mode, FileAccess access)
    {
        var options = new FileStreamOptions { Mode = mode, Access = access, Share = FileShare.None };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = OwnerOnly;
        var stream = new FileStream(file, options);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(stream.SafeFileHandle, OwnerOnly);
        return stream;
    }

    /// <summary>Writes the whole outbox to a temp file and moves it in place, so a crash never leaves half a file.</summary>
    private void Write(IEnumerable<JsonObject> reports)
    {
        var temp = Path + ".tmp";
        using (var file = Open(temp, FileMode.Create, FileAccess.Write))
        {
            using var writer = new StreamWriter(file, leaveOpen: true);
            foreach (var report in reports) writer.WriteLine(report.ToJsonString());
            writer.Flush();
            file.Flush(flushToDisk: true);
        }
        File.Move(temp, Path, overwrite: true);
    }

    /// <summary>The outbox while this run holds it: the only way to change it.</summary>
    public sealed class Held(Outbox outbox, FileStream @lock) : IDisposable
    {
        public IReadOnlyList<JsonObject> Pending() => outbox.Pending();

        public void Add(JsonObject report) => Save([.. Pending(), report]);

        public void Save(IEnumerable<JsonObject> reports) => outbox.Write(reports);

        public string Path => outbox.Path;

        public void Dispose() => @lock.Dispose();
    }
}

using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.Persistence.Query;
using Coordinator.Cli;
using Coordinator.Cluster;
using Coordinator.Cluster.Hosting;
using Coordinator.Cluster.Serialization;
using Coordinator.Cluster.Views;
using Coordinator.Domain.Views;
using Coordinator.Node.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Coordinator.Node.Tests;

/// <summary>
/// The restore drill of docs/operations.md, on real nodes and files: `coord admin backup` while teams report, persons are
/// found and inquiries registered; the backup restored on a fresh node (a new data folder) holds the journal exactly as
/// it was at the backup's moment and folds to the same board; a person and an inquiry erased on the original after the
/// backup stay erased on the restored node once it has the original's erasure ledger.
/// </summary>
public class RestoreDrillTests : IAsyncLifetime
{
    private const int Teams = 6, Levels = 4, CellsPerLevel = 25, PersonsPerCell = 40;
    private const string Name = "Youssef Khalil Haddad", Contact = "+90 555 0100";

    private NodeUnderTest _original = null!;
    private NodeUnderTest? _restored;

    public async ValueTask InitializeAsync() => _original = await NodeUnderTest.StartAsync();

    public async ValueTask DisposeAsync()
    {
        await _original.DisposeAsync();
        if (_restored is not null) await _restored.DisposeAsync();
    }

    [Fact]
    public async Task A_backup_taken_under_load_restores_the_same_record_and_the_ledger_keeps_a_later_erasure_erased()
    {
        var ct = TestContext.Current.CancellationToken;
        var cells = await SetUp();
        var (person, inquiry) = await RecordToErase();

        // Load: every team clears its cells one after another, finding persons in each; the desk registers inquiries.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var load = Enumerable.Range(0, Teams).Select(t => Search($"T-{t}", cells.Where((_, i) => i % Teams == t), stop.Token))
            .Append(RegisterInquiries(stop.Token)).ToList();
        await Until(() => Head(Db(_original)) > 2_000, "the load to write 2,000 events");

        var backup = Path.Combine(_original.DataFolder, "drill", "coordinator-backup.db");
        Directory.CreateDirectory(Path.GetDirectoryName(backup)!);
        var outbox = Path.Combine(_original.DataFolder, "outbox.jsonl");
        var headBefore = Head(Db(_original));
        var took = Stopwatch.StartNew();
        var (exit, output, error) = await CoordRunner.Run(_original.BaseAddress, outbox, NodeUnderTest.BootstrapToken,
            "admin", "backup", "--out", backup, "--timeout", "120");
        took.Stop();
        Assert.True(exit == ExitCode.Ok, $"coord admin backup: {exit} {output} {error}");
        await Until(() => Head(Db(_original)) > Head(backup) + 200, "the load to go on past the backup");
        await stop.CancelAsync();
        await Task.WhenAll(load);

        // The backup is one consistent moment of a journal being written: everything before it, nothing half.
        var head = Head(backup);
        Assert.True(head >= headBefore, $"the backup ends at {head}, before the {headBefore} events written when it was asked");
        Assert.Equal(Rows(Db(_original), head), Rows(backup, head));
        if (!OperatingSystem.IsWindows())
            foreach (var file in new[] { backup, backup + Coord.LedgerSuffix })
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Empty(Directory.GetFiles(_original.DataFolder, "coordinator.db.backup-*")); // the node's copy is gone once sent
        var expected = Canonical(OperationsProjection.Instance.Replay((await new JournalReader(SystemOf(_original)).AllEvents(ct))
            .Select(e => (e.Event, ((Sequence)e.Offset).Value)).Where(e => e.Value <= head)));

        // Restore (docs/operations.md): the backup as the new node's database, the ledger saved with it beside it, start.
        _restored = NodeUnderTest.Unstarted();
        File.Copy(backup, Path.Combine(_restored.DataFolder, "coordinator.db"));
        File.Copy(backup + Coord.LedgerSuffix, Path.Combine(_restored.DataFolder, PersistenceSettings.LedgerFileName));
        var restoring = Stopwatch.StartNew();
        await _restored.StartAgainAsync();
        restoring.Stop();
        Assert.Equal(head, Head(Db(_restored)));
        Assert.Equal(Rows(Db(_original), head), Rows(Db(_restored), head));
        var board = Published<Board>.For(SystemOf(_restored)).Current;
        Assert.Equal(head, board.Offset);
        Assert.Equal(expected, Canonical(board));
        Assert.Equal(Name, (string)(await _restored.Get($"/api/persons/{person}")).Body!["details"]!["name"]!);
        Assert.Equal("Khalil", (string)(await _restored.Get($"/api/inquiries/{inquiry}")).Body!["details"]!["fatherName"]!);

        // Erased on the original after the backup: the restored node, given the original's ledger, withholds both.
        Assert.Equal(200, (await _original.Post($"/api/persons/{person}/erase", new { reason = "asked by the family, request 17" })).Status);
        Assert.Equal(200, (await _original.Post($"/api/inquiries/{inquiry}/erase", new { reason = "asked by the family, request 17" })).Status);
        var ledger = Path.Combine(_original.DataFolder, "drill", "erasure-ledger-now");
        Assert.Equal(ExitCode.Ok, (await CoordRunner.Run(_original.BaseAddress, outbox, NodeUnderTest.BootstrapToken,
            "admin", "erasure-ledger", "--out", ledger)).Exit);
        Assert.Equal([$"person:{person}", $"inquiry:{inquiry}"], File.ReadAllLines(ledger));
        await _restored.StopAsync();
        File.AppendAllText(Path.Combine(_restored.DataFolder, PersistenceSettings.LedgerFileName), File.ReadAllText(ledger));
        await _restored.StartAgainAsync();
        var erasedPerson = (await _restored.Get($"/api/persons/{person}")).Body!;
        Assert.True((bool)erasedPerson["erased"]!);
        Assert.Equal("[erased]", (string)erasedPerson["details"]!["name"]!);
        var erasedInquiry = (await _restored.Get($"/api/inquiries/{inquiry}")).Body!;
        Assert.True((bool)erasedInquiry["erased"]!);
        Assert.Equal("[erased]", (string)erasedInquiry["details"]!["name"]!);
        Assert.DoesNotContain("Khalil", erasedInquiry.ToJsonString());
        Assert.DoesNotContain((await _restored.Get("/api/persons?query=Youssef%20Haddad")).Body!["items"]!.AsArray(),
            p => (string)p!["id"]! == person);
        var keys = SqliteKeyFile.PathBeside(Db(_restored)); // the restored backup's keys moved there at the first start
        Assert.Equal(0, KeyRows(keys, $"person:{person}") + KeyRows(keys, $"inquiry:{inquiry}"));

        TestContext.Current.SendDiagnosticMessage($"restore drill: {head} events, backup {new FileInfo(backup).Length} bytes in "
            + $"{took.Elapsed.TotalSeconds:0.0} s under load; restored node ready in {restoring.Elapsed.TotalSeconds:0.0} s");
    }

    [Fact]
    public async Task Only_an_admin_takes_a_backup_and_it_never_replaces_a_file()
    {
        var lead = (string)(await _original.Post("/api/tokens", new { role = "lead", expires = "1h" })).Body!["token"]!;
        var outbox = Path.Combine(_original.DataFolder, "outbox.jsonl");
        var backup = Path.Combine(_original.DataFolder, "backup.db");
        var refused = await CoordRunner.Run(_original.BaseAddress, outbox, lead, "admin", "backup", "--out", backup);
        Assert.Equal((ExitCode.Forbidden, false, false), (refused.Exit, File.Exists(backup), File.Exists(backup + Coord.LedgerSuffix)));
        Assert.Contains("NotAllowed", refused.Err);
        Assert.Equal(ExitCode.Forbidden, (await CoordRunner.Run(_original.BaseAddress, outbox, lead, "admin", "erasure-ledger")).Exit);

        File.WriteAllText(backup, "an older backup");
        var exists = await CoordRunner.Run(_original.BaseAddress, outbox, NodeUnderTest.BootstrapToken, "admin", "backup", "--out", backup);
        Assert.Equal(ExitCode.Invalid, exists.Exit);
        Assert.Contains("exists", exists.Err);
        Assert.Equal("an older backup", File.ReadAllText(backup));
        Assert.False(File.Exists(backup + Coord.LedgerSuffix));
    }

    private async Task<List<string>> SetUp()
    {
        Assert.Equal(201, (await _original.Post("/api/facilities", new { id = "saydnaya", name = "Saydnaya" })).Status);
        var levels = Enumerable.Range(1, Levels).Select(l => $"B{l}").ToList();
        var cells = levels.SelectMany(l => Enumerable.Range(1, CellsPerLevel).Select(c => $"{l}-{c:00}")).ToList();
        var sectors = levels.Select(l => (object)new { id = l, kind = "Level" })
            .Concat(cells.Select(c => new { id = c, parent = c[..2], kind = "Cell" })).ToArray();
        Assert.Equal(200, (await _original.Put("/api/facilities/saydnaya/layout", new { sectors })).Status);
        for (var t = 0; t < Teams; t++)
            Assert.Equal(201, (await _original.Post("/api/teams", new
            {
                id = $"T-{t}",
                callSign = $"Team {t}",
                size = 4,
                capabilities = new[] { "Search" }
            })).Status);
        return cells;
    }

    /// <summary>A person found and an inquiry registered before the backup: erased on the original after it.</summary>
    private async Task<(string Person, string Inquiry)> RecordToErase()
    {
        Assert.Equal(201, (await _original.Post("/api/teams",
            new { id = "SAR-0", callSign = "S", size = 4, capabilities = new[] { "Search" } })).Status);
        Assert.Equal(201, (await _original.Post("/api/assignments", new { teamId = "SAR-0", facilityId = "saydnaya", sectorId = "B1-01" })).Status);
        await Report("SAR-0", "B1-01", "r-in", "Entered");
        var found = await _original.Post("/api/reports", new
        {
            reportId = "r-found",
            teamId = "SAR-0",
            facilityId = "saydnaya",
            sectorId = "B1-01",
            kind = "PersonsFound",
            alive = 1,
            persons = new[] { new { name = Name, fatherName = "Khalil", homeTown = "Homs" } },
        });
        Assert.Equal(200, found.Status);
        await Report("SAR-0", "B1-01", "r-out", "Cleared");
        Assert.Equal(201, (await _original.Post("/api/inquiries", new
        {
            id = "inq-haddad",
            name = Name,
            fatherName = "Khalil",
            contact = Contact
        })).Status);
        return ((string)found.Body!["persons"]![0]!, "inq-haddad");
    }

    private async Task Report(string team, string cell, string id, string kind)
    {
        var (status, body) = await _original.Post("/api/reports",
            new { reportId = id, teamId = team, facilityId = "saydnaya", sectorId = cell, kind, method = kind == "Cleared" ? "Visual" : null });
        Assert.True(status == 200, $"{kind} on {cell}: {status} {body?.ToJsonString()}");
    }

    /// <summary>A team's round: assigned, in, persons found one report each (a phone's batch), cleared; then the next cell.</summary>
    private async Task Search(string team, IEnumerable<string> cells, CancellationToken ct)
    {
        foreach (var cell in cells.Where(c => c != "B1-01"))
        {
            if (ct.IsCancellationRequested) return;
            Assert.Equal(201, (await _original.Post("/api/assignments", new { teamId = team, facilityId = "saydnaya", sectorId = cell })).Status);
            await Report(team, cell, $"{cell}-in", "Entered");
            var reports = Enumerable.Range(0, PersonsPerCell).Select(p => new
            {
                reportId = $"{cell}-p{p}",
                teamId = team,
                facilityId = "saydnaya",
                sectorId = cell,
                kind = "PersonsFound",
                alive = 1,
                persons = new[] { new { name = $"Person {p} of {cell}", homeTown = "Homs" } },
            }).ToArray();
            var batch = await _original.Post("/api/reports/batch", new { reports });
            Assert.True(batch.Body!["outcomes"]!.AsArray().All(o => (int)o!["status"]! == 200), batch.Body.ToJsonString());
            await Report(team, cell, $"{cell}-out", "Cleared");
        }
    }

    private async Task RegisterInquiries(CancellationToken ct)
    {
        for (var i = 0; !ct.IsCancellationRequested; i++)
            Assert.Equal(201, (await _original.Post("/api/inquiries",
                new { id = $"inq-{i}", name = $"Inquiry {i}", contact = "+90 555 0199" })).Status);
    }

    private static ActorSystem SystemOf(NodeUnderTest node) => node.Services.GetRequiredService<ActorSystem>();

    private static string Canonical(Board board) => JsonSerializer.Serialize(board, EventSerializer.Options);

    private static string Db(NodeUnderTest node) => Path.Combine(node.DataFolder, "coordinator.db");

    private static SqliteConnection Open(string file)
    {
        var db = new SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=False");
        db.Open();
        return db;
    }

    /// <summary>The journal's head: its highest ordering.</summary>
    private static long Head(string file)
    {
        using var db = Open(file);
        using var max = db.CreateCommand();
        max.CommandText = "SELECT COALESCE(MAX(ordering), 0) FROM journal";
        return (long)max.ExecuteScalar()!;
    }

    /// <summary>The journal up to <paramref name="head"/>: its count, each entity's last sequence number, and a hash of every row.</summary>
    private static string Rows(string file, long head)
    {
        using var db = Open(file);
        using var select = db.CreateCommand();
        select.CommandText = "SELECT ordering, persistence_id, sequence_number, message FROM journal WHERE ordering <= $head ORDER BY ordering";
        select.Parameters.AddWithValue("$head", head);
        using var rows = select.ExecuteReader();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var last = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var count = 0;
        while (rows.Read())
        {
            count++;
            last[rows.GetString(1)] = rows.GetInt64(2);
            hash.AppendData(BitConverter.GetBytes(rows.GetInt64(0)));
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(rows.GetString(1)));
            hash.AppendData(BitConverter.GetBytes(rows.GetInt64(2)));
            hash.AppendData((byte[])rows[3]);
        }
        return $"{count} rows, {last.Count} entities ({string.Join(", ", last.Select(e => $"{e.Key}={e.Value}"))}), "
            + Convert.ToHexString(hash.GetHashAndReset());
    }

    private static long KeyRows(string file, string record)
    {
        using var db = Open(file);
        using var count = db.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM personal_data_keys WHERE record_id = $id";
        count.Parameters.AddWithValue("$id", record);
        return (long)count.ExecuteScalar()!;
    }

    private static async Task Until(Func<bool> done, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!done())
        {
            Assert.True(DateTime.UtcNow < deadline, $"waited 60 s for {what}");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }
}

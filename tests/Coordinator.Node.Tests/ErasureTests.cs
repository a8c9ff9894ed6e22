using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Coordinator.Domain;
using Coordinator.Domain.Family;
using Coordinator.Domain.Sectors;
using Coordinator.Node.Access;
using Coordinator.Node.Tests.Support;
using Coordinator.Testing;
using Microsoft.Data.Sqlite;

namespace Coordinator.Node.Tests;

/// <summary>
/// Erasure on a real node and its SQLite file: a person found and an inquiry are erased, then read through every
/// route, the CSV exports, the streams, the audit trail, the tables themselves and a restart from the snapshots —
/// the details are gone, the counts and the history remain. Then the data folder's files, read raw, and an online
/// backup: no erased key and no name or contact is in any of them.
/// </summary>
public class ErasureTests : IAsyncLifetime
{
    private NodeUnderTest _node = null!;
    private HttpClient _desk = null!;
    private string _deskToken = null!;

    // Latin names and contact: JSON escapes Arabic, so only these would show as plain text in the tables.
    private const string Erased = "Haddad", Contact = "+90 555 0100", Kept = "Halabi";

    public async ValueTask InitializeAsync()
    {
        // a snapshot after every event, taken before the erasure too
        _node = await NodeUnderTest.StartAsync("--Coordinator:Entities:SnapshotEvery=1");
        await _node.EnterCellAsync();
        _deskToken = (string)(await _node.Post("/api/tokens", new { role = "familydesk", expires = "1h" })).Body!["token"]!;
        _desk = _node.Client(_deskToken);
    }

    public async ValueTask DisposeAsync()
    {
        _desk.Dispose();
        await _node.DisposeAsync();
    }

    private async Task<(int Status, JsonNode? Body)> Desk(string path)
    {
        using var response = await _desk.GetAsync(path, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return ((int)response.StatusCode, text.TrimStart().StartsWith('{')
            || text.TrimStart().StartsWith('[') ? JsonNode.Parse(text) : JsonValue.Create(text));
    }

    private async Task<JsonNode> Until(string path, Func<JsonNode, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var (status, body) = await Desk(path);
            if (status == 200 && done(body!)) return body!;
            Assert.True(DateTime.UtcNow < deadline, $"GET {path} never satisfied the test: {status} {body?.ToJsonString()}");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    private string Db => $"Data Source={Path.Combine(_node.DataFolder, "coordinator.db")}";
    private string KeyFile => $"Data Source={Path.Combine(_node.DataFolder, "coordinator-keys.db")}";

    /// <summary>Every value of every table of the journal's file (the keys have a file of their own), as text.</summary>
    private List<string> StoredText()
    {
        using var db = new SqliteConnection(Db);
        db.Open();
        using var tables = db.CreateCommand();
        tables.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table'";
        var names = new List<string>();
        using (var r = tables.ExecuteReader()) while (r.Read()) names.Add(r.GetString(0));
        var values = new List<string>();
        foreach (var table in names)
        {
            using var select = db.CreateCommand();
            select.CommandText = $"SELECT * FROM \"{table}\"";
            using var rows = select.ExecuteReader();
            while (rows.Read())
                for (var i = 0; i < rows.FieldCount; i++)
                    values.Add(rows.GetValue(i) switch { byte[] b => Encoding.UTF8.GetString(b), var v => v?.ToString() ?? "" });
        }
        return values;
    }

    private long KeyRows(string record)
    {
        using var db = new SqliteConnection(KeyFile);
        db.Open();
        using var count = db.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM personal_data_keys WHERE record_id = $id";
        count.Parameters.AddWithValue("$id", record);
        return (long)count.ExecuteScalar()!;
    }

    [Fact]
    public async Task An_erased_person_and_inquiry_read_as_erased_through_every_route_and_the_counts_remain()
    {
        var ct = TestContext.Current.CancellationToken;
        var ids = (await _node.Post("/api/reports", new
        {
            reportId = "r-persons",
            teamId = "SAR-1",
            facilityId = "saydnaya",
            sectorId = "B1-1",
            kind = "PersonsFound",
            alive = 2,
            persons = new object[] { new { name = "Mohamed Ahmad Halabi", age = 38 },
                new { name = "Youssef Khalil Haddad", fatherName = "Khalil", birthYear = 1979, homeTown = "Homs" } },
        })).Body!["persons"]!.AsArray().Select(p => (string)p!).ToArray();
        var (kept, erased) = (ids[0], ids[1]);
        Assert.Equal(201, (await _node.Post("/api/inquiries",
            new { id = "inq-1", name = "Youssef Khalil Haddad", fatherName = "Khalil", birthYear = 1979, contact = Contact })).Status);
        await Until("/api/inquiries/inq-1/candidates", c => c.AsArray().Any(x => (string)x!["personId"]! == erased));
        Assert.Equal(200, (await _node.Post("/api/inquiries/inq-1/matches", new { personId = erased, decision = "Confirmed" })).Status);
        await Until("/api/family/export/matches.csv", c => ((string)c!).Contains(erased));

        // Sealed from the start: neither the journal nor the snapshots hold the names or the contact in plain text.
        Assert.DoesNotContain(StoredText(), v => v.Contains(Erased) || v.Contains(Kept) || v.Contains(Contact));
        Assert.Equal(1, KeyRows("person:" + erased));
        await using var family = await SseClient.ConnectAsync(_node.BaseAddress, "/api/family/stream", _deskToken);

        // Refusals, each with its code.
        Assert.Equal(403, (await _desk.PostAsync($"/api/persons/{erased}/erase",
            Body(new { reason = "asked by the family" }), ct)).StatusCode is var s ? (int)s : 0);
        Assert.Equal((400, "InvalidField"), Code(await _node.Post($"/api/persons/{erased}/erase", new { })));
        Assert.Equal((400, "InvalidField"), Code(await _node.Post($"/api/persons/{erased}/erase", new { reason = "Youssef Khalil Haddad asked" })));
        Assert.Equal((400, "InvalidField"), Code(await _node.Post($"/api/persons/{erased}/erase", new { reason = "HADDAD's  sister asked" })));
        Assert.Equal((400, "InvalidField"), Code(await _node.Post("/api/inquiries/inq-1/erase", new { reason = "call ٥٥٥-٠١٠٠ first" })));
        Assert.Equal((404, "PersonNotFound"), Code(await _node.Post("/api/persons/p-0000000000000000/erase", new { reason = "x" })));
        Assert.Equal((404, "InquiryNotFound"), Code(await _node.Post("/api/inquiries/inq-none/erase", new { reason = "x" })));

        var (status, person) = await _node.Post($"/api/persons/{erased}/erase", new { reason = "asked by the family, request 17" });
        Assert.Equal(200, status);
        Assert.True((bool)person!["erased"]!);
        Assert.Equal(0, KeyRows("person:" + erased)); // gone before the answer
        Assert.Equal(1, KeyRows("person:" + kept));
        (status, var inquiry) = await _node.Post("/api/inquiries/inq-1/erase", new { reason = "asked by the family, request 17" });
        Assert.Equal(200, status);
        Assert.Equal("[erased]", (string)inquiry!["details"]!["name"]!);
        Assert.Null(inquiry["details"]!["contact"]);
        Assert.Equal(0, KeyRows("inquiry:inq-1"));
        await Until($"/api/persons/{erased}", p => (bool)p["erased"]!);
        Assert.Equal((409, "PersonAlreadyErased"), Code(await _node.Post($"/api/persons/{erased}/erase", new { reason = "again" })));
        Assert.Equal((409, "InquiryAlreadyErased"), Code(await _node.Post("/api/inquiries/inq-1/erase", new { reason = "again" })));

        await ReadsAsErased(kept, erased);
        // The stream's kept changes are masked too: a client resuming from the start reads no name.
        await using var resumed = await SseClient.ConnectAsync(_node.BaseAddress, "/api/family/stream", _deskToken, "0-0");
        var sent = await resumed.UntilAsync(e => e.Event == "family-inquiry" && e.Data!.ToJsonString().Contains("[erased]"),
            TimeSpan.FromSeconds(20));
        Assert.DoesNotContain(sent, e => e.Data?.ToJsonString().Contains(Erased) == true || e.Data?.ToJsonString().Contains(Contact) == true);

        // After a restart (entities from their snapshots, the view folded from the journal) nothing comes back.
        await family.DisposeAsync();
        await resumed.DisposeAsync();
        await _node.StopAsync();
        Assert.DoesNotContain(StoredText(), v => v.Contains(Erased) || v.Contains(Contact));
        await _node.StartAgainAsync();
        await ReadsAsErased(kept, erased);
    }

    /// <summary>The records' keys as the key file holds them, read directly (as an attacker with the file would).</summary>
    private Dictionary<string, byte[]> KeysOf(params string[] records)
    {
        using var db = new SqliteConnection(KeyFile);
        db.Open();
        return records.ToDictionary(r => r, r =>
        {
            using var select = db.CreateCommand();
            select.CommandText = "SELECT key FROM personal_data_keys WHERE record_id = $id";
            select.Parameters.AddWithValue("$id", r);
            return (byte[])select.ExecuteScalar()!;
        });
    }

    /// <summary>
    /// A report's fingerprint stays in the journal after the persons it names are erased. Keyed with the cluster's
    /// secret, it cannot confirm a guessed name: the plain hash of the guessed report is in no file, the print under
    /// the node's key is, and a retry of the report is still recognised.
    /// </summary>
    [Fact]
    public async Task An_erased_person_s_report_print_cannot_be_recomputed_from_a_guessed_name_without_the_node_s_key()
    {
        var report = new
        {
            reportId = "r-guess",
            teamId = "SAR-1",
            facilityId = "saydnaya",
            sectorId = "B1-1",
            kind = "PersonsFound",
            persons = new object[] { new { name = "Yara Nabil Saleh", age = 24 } },
        };
        var (status, body) = await _node.Post("/api/reports", report);
        Assert.Equal(200, status);
        var person = (string)body!["persons"]![0]!;
        await Until($"/api/persons/{person}", _ => true);
        Assert.Equal(200, (await _node.Post($"/api/persons/{person}/erase", new { reason = "asked by the family, request 33" })).Status);
        Assert.Equal(200, (await _node.Post("/api/reports", report)).Status); // a retry, not a reused id (409)

        // What someone holding the journal would try: the report as the node built it, with the guessed name.
        var guessed = new ReportPersonsFound(new SectorRef("saydnaya", "B1-1"), "r-guess", "SAR-1", 1, 0, false, null,
            [new PersonDetails("Yara Nabil Saleh", [], null, null, null, 24, null, null, null)], Author.System);
        var keyed = new ReportPrints(new Secrets(Encoding.UTF8.GetBytes(NodeUnderTest.SigningKey), "", null).ReportKey).Of(guessed);
        var stored = StoredText();
        Assert.Contains(stored, v => v.Contains(keyed));
        Assert.DoesNotContain(stored, v => v.Contains(ReportPrints.Unkeyed(guessed)));
    }

    [Fact]
    public async Task Nothing_of_an_erased_record_is_in_any_file_of_the_data_folder_nor_in_an_online_backup_once_the_erasure_returns()
    {
        var ids = (await _node.Post("/api/reports", new
        {
            reportId = "r-carve",
            teamId = "SAR-1",
            facilityId = "saydnaya",
            sectorId = "B1-1",
            kind = "PersonsFound",
            alive = 2,
            persons = new object[] { new { name = "Zainab Qassab Darwish", fatherName = "Qassab", homeTown = "Tartous" },
                new { name = "Rami Elias Touma", fatherName = "Elias", homeTown = "Qamishli" } },
        })).Body!["persons"]!.AsArray().Select(p => (string)p!).ToArray();
        Assert.Equal(201, (await _node.Post("/api/inquiries",
            new { id = "inq-gone", name = "Zainab Qassab Darwish", fatherName = "Qassab", contact = "zainab.family@example.org" })).Status);
        Assert.Equal(201, (await _node.Post("/api/inquiries",
            new { id = "inq-kept", name = "Rami Elias Touma", fatherName = "Elias", contact = "rami.family@example.org" })).Status);
        var erasedKeys = KeysOf("person:" + ids[0], "inquiry:inq-gone"); // captured before the erasure
        var keptKeys = KeysOf("person:" + ids[1], "inquiry:inq-kept");
        var erasedText = new[] { "Zainab", "Darwish", "Qassab", "Tartous", "zainab.family" }.SelectMany(RawFiles.Text).ToDictionary();
        var keptText = new[] { "Rami Elias", "Touma", "Qamishli", "rami.family" }.SelectMany(RawFiles.Text).ToDictionary();

        await Until($"/api/persons/{ids[0]}", _ => true); // the erasure finds the person through the node's view
        var timed = Stopwatch.StartNew();
        Assert.Equal(200, (await _node.Post($"/api/persons/{ids[0]}/erase", new { reason = "asked by the family, request 21" })).Status);
        Assert.Equal(200, (await _node.Post("/api/inquiries/inq-gone/erase", new { reason = "asked by the family, request 21" })).Status);
        TestContext.Current.TestOutputHelper?.WriteLine($"an erasure through the API: {timed.Elapsed.TotalMilliseconds / 2:0} ms");

        // While the node runs, right after the answers: the journal, its log, the snapshots, the key file and its log.
        void NothingErasedIn(string[] files)
        {
            Assert.Empty(RawFiles.Holding(files, erasedKeys));
            Assert.Empty(RawFiles.Holding(files, erasedText));
            Assert.Empty(RawFiles.Holding(files, keptText)); // sealed from the start: no name is ever written in plain text
            Assert.Equal(keptKeys.Keys, RawFiles.Holding(files, keptKeys)); // and the carving does find what is there
        }
        NothingErasedIn(RawFiles.In(_node.DataFolder));
        if (!OperatingSystem.IsWindows()) // the keys are the owner's alone, their log too
            foreach (var file in Directory.GetFiles(_node.DataFolder, "coordinator-keys.db*"))
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Equal("Rami Elias Touma", (string)(await Until($"/api/persons/{ids[1]}", _ => true))["details"]!["name"]!);
        Assert.Equal("Rami Elias Touma", (string)(await Until("/api/inquiries/inq-kept", _ => true))["details"]!["name"]!);

        // SQLite's online backup of each file, as an operator takes it while the node runs.
        var backups = Directory.CreateTempSubdirectory("coord-backup-").FullName;
        try
        {
            foreach (var file in Directory.GetFiles(_node.DataFolder, "*.db"))
            {
                using var source = new SqliteConnection($"Data Source={file}");
                using var copy = new SqliteConnection($"Data Source={Path.Combine(backups, Path.GetFileName(file))};Pooling=false");
                source.Open();
                source.BackupDatabase(copy);
            }
            NothingErasedIn(RawFiles.In(backups));
        }
        finally
        {
            Directory.Delete(backups, recursive: true);
        }

        // And once the node has stopped (its last snapshots written).
        await _node.StopAsync();
        NothingErasedIn(RawFiles.In(_node.DataFolder));
    }

    private async Task ReadsAsErased(string kept, string erased)
    {
        bool Clean(JsonNode? n) => n?.ToJsonString() is { } t && !t.Contains(Erased) && !t.Contains(Contact) && !t.Contains("Khalil");

        var p = await Until($"/api/persons/{erased}", p => (bool)p["erased"]!);
        Assert.Equal("[erased]", (string)p["details"]!["name"]!);
        Assert.True(Clean(p));
        Assert.Equal("Mohamed Ahmad Halabi", (string)(await Until($"/api/persons/{kept}", _ => true))["details"]!["name"]!);
        Assert.DoesNotContain((await Until("/api/persons?query=Youssef%20Haddad", _ => true))["items"]!.AsArray(), x => (string)x!["id"]! == erased);
        Assert.Empty((await Until($"/api/persons/{erased}/candidates", _ => true)).AsArray());
        var list = await Until("/api/inquiries?status=all", l => l["items"]!.AsArray().Any(i => (bool)i!["erased"]!));
        Assert.True(Clean(list));
        Assert.True(Clean(await Until("/api/inquiries/inq-1", i => (bool)i["erased"]!)));
        Assert.Empty((await Until("/api/inquiries/inq-1/candidates", _ => true)).AsArray());
        Assert.Empty((await Until("/api/inquiries?query=Haddad", _ => true))["items"]!.AsArray());
        var matches = (string)(await Until("/api/family/export/matches.csv", _ => true))!;
        Assert.Contains(erased, matches); // the confirmed match stays in the history, its details do not
        Assert.Contains("[erased]", matches);
        Assert.DoesNotContain(Erased, matches);
        var open = (string)(await Until("/api/family/export/inquiries.csv", _ => true))!;
        Assert.Contains("inq-1,[erased]", open);
        Assert.DoesNotContain(Contact, open);

        // The counts and the history remain.
        var sector = (await _node.Get("/api/facilities/saydnaya/sectors/B1-1")).Body!;
        Assert.Equal(2, (int)sector["personsAlive"]!);
        var history = await _node.All("/api/facilities/saydnaya/sectors/B1-1/history");
        Assert.True(Clean(history));
        Assert.Contains(history, e => (string)e!["event"]! == "PersonsFound");
        Assert.Contains(history, e => (string)e!["event"]! == "PersonDetailsErased"
            && ((string)e["data"]!["reason"]!).Contains("request 17"));
        var audit = await _node.All("/api/audit");
        Assert.True(Clean(audit));
        Assert.Contains(audit, e => (string)e!["event"]! == "InquiryDetailsErased");
        Assert.Contains(audit, e => (string)e!["event"]! == "InquiryRegistered");
    }

    private static StringContent Body(object o) => new(NodeUnderTest.Json(o), Encoding.UTF8, "application/json");

    private static (int, string?) Code((int Status, JsonNode? Body) r) => (r.Status, (string?)r.Body?["code"]);
}

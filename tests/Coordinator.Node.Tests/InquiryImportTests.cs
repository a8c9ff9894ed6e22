using System.Text;
using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Hosting;
using Coordinator.Cli;
using Coordinator.Cluster;
using Coordinator.Node.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Coordinator.Node.Tests;

/// <summary>
/// A partner's list of inquiries imported in one request on a real node: every row decided as a single
/// registration would be and reported, a re-import registering nothing twice, whole files refused with a code
/// and nothing recorded, the desk's role required, and `coord family import`.
/// </summary>
public class InquiryImportTests : IAsyncLifetime
{
    private NodeUnderTest _node = null!;
    private HttpClient _desk = null!;
    private string _deskToken = null!;

    public async ValueTask InitializeAsync()
    {
        _node = await NodeUnderTest.StartAsync();
        _deskToken = (string)(await _node.Post("/api/tokens", new { role = "familydesk", expires = "1h" })).Body!["token"]!;
        _desk = _node.Client(_deskToken);
    }

    public async ValueTask DisposeAsync()
    {
        _desk.Dispose();
        await _node.DisposeAsync();
    }

    private const string PartnerList =
        "id,name,altNames,fatherName,motherName,birthYear,homeTown,lastSeen,contact\r\n" +
        "p-001,Mohamed Ahmad Al-Halabi,محمد أحمد الحلبي;Muhammad Halabi,Ahmad,Fatima,1987,Homs," +
        "\"checkpoint, Homs, 2012\",+90 555 0100\r\n" +
        "p-002,يوسف خليل الحداد,,خليل,,1979,دمشق,,\r\n" +
        "bad id!,Omar Hassan,,,,,,,\r\n" +
        "p-004,,,,,1990,,,\r\n" +
        "p-005,Khaled Omar,,,,19x0,,,\r\n" +
        "\r\n" +
        "p-001,Mohamed Ahmad Al-Halabi,محمد أحمد الحلبي;Muhammad Halabi,Ahmad,Fatima,1987,Homs," +
        "\"checkpoint, Homs, 2012\",+90 555 0100\r\n" +
        "p-002,Youssef Haddad,,,,1979,,,\r\n" +
        "p-009,Aisha Younes,,Mahmoud,,1995\r\n" +
        "p-010,Tarek Gamal Al Ali,,Gamal,,1997,Deir ez-Zor,,\r\n";

    private async Task<(int Status, JsonNode? Body)> Import(string csv, bool asJson = false, HttpClient? client = null)
    {
        using var content = asJson
            ? new StringContent(NodeUnderTest.Json(new { csv }), Encoding.UTF8, "application/json")
            : new StringContent(csv, Encoding.UTF8, "text/csv");
        using var response = await (client ?? _desk).PostAsync("/api/inquiries/import", content, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    private static Dictionary<int, (string? Id, string Outcome, string? Code)> Rows(JsonNode report) =>
        report["report"]!.AsArray().ToDictionary(r => (int)r!["row"]!, r => ((string?)r!["id"], (string)r["outcome"]!, (string?)r["code"]));

    [Fact]
    public async Task Every_row_is_decided_and_reported_and_a_reimport_registers_nothing_twice()
    {
        var (status, report) = await Import(PartnerList);
        Assert.Equal(200, status);
        // Rows are numbered by their line (the header is line 1; the blank line 7 is skipped).
        Assert.Equal(new Dictionary<int, (string?, string, string?)>
        {
            [2] = ("p-001", "accepted", null),
            [3] = ("p-002", "accepted", null),
            [4] = ("bad id!", "refused", "InvalidId"),
            [5] = ("p-004", "refused", "InvalidField"),
            [6] = ("p-005", "refused", "InvalidField"),
            [8] = ("p-001", "duplicate", null),
            [9] = ("p-002", "refused", "InquiryAlreadyRegistered"),
            [10] = ("p-009", "refused", "InvalidField"),
            [11] = ("p-010", "accepted", null),
        }, Rows(report!));
        Assert.Equal((9, 3, 1, 5), ((int)report!["rows"]!, (int)report["accepted"]!, (int)report["duplicates"]!, (int)report["refused"]!));
        string Reason(int row) => (string)report["report"]!.AsArray().Single(r => (int)r!["row"]! == row)!["reason"]!;
        Assert.Equal("name is required", Reason(5));
        Assert.Equal("birth year '19x0' is not a year", Reason(6));
        Assert.Equal("6 field(s) where the header has 9", Reason(10));

        var inquiry = (await _node.Get("/api/inquiries/p-001")).Body!;
        Assert.Equal(new[] { "محمد أحمد الحلبي", "Muhammad Halabi" },
            inquiry["details"]!["altNames"]!.AsArray().Select(n => (string)n!));
        Assert.Equal("checkpoint, Homs, 2012", (string)inquiry["details"]!["lastSeen"]!);
        Assert.Equal(1, (int)inquiry["version"]!);

        // The same list again, as JSON this time: nothing new is recorded.
        (status, var again) = await Import(PartnerList, asJson: true);
        Assert.Equal(200, status);
        var rows = Rows(again!);
        Assert.Equal(("p-001", "duplicate", null), rows[2]);
        Assert.Equal(("p-010", "duplicate", null), rows[11]);
        Assert.Equal((0, 4), ((int)again!["accepted"]!, (int)again["duplicates"]!));
        Assert.Equal(1, (int)(await _node.Get("/api/inquiries/p-001")).Body!["version"]!);
        Assert.Equal(1, (int)(await _node.Get("/api/inquiries/p-010")).Body!["version"]!);
    }

    [Fact]
    public async Task An_import_leaves_none_of_its_inquiries_running_and_each_answers_when_asked()
    {
        var (status, report) = await Import(PartnerList);
        Assert.Equal((200, 3), (status, (int)report!["accepted"]!));

        // Each inquiry the import read or wrote is shelved: the inquiries' region empties long before idle passivation.
        var region = _node.Services.GetRequiredService<ActorRegistry>().Get<InquiryRegion>();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        int running;
        while ((running = (await region.Ask<CurrentShardRegionState>(GetShardRegionState.Instance, TimeSpan.FromSeconds(5),
                   TestContext.Current.CancellationToken))
                   .Shards.Sum(s => s.EntityIds.Count)) > 0 && DateTime.UtcNow < deadline)
            await Task.Delay(50, TestContext.Current.CancellationToken);
        Assert.Equal(0, running);

        Assert.Equal("checkpoint, Homs, 2012", (string)(await _node.Get("/api/inquiries/p-001")).Body!["details"]!["lastSeen"]!);
    }

    [Fact]
    public async Task A_file_that_cannot_be_read_as_a_whole_is_refused_and_records_nothing()
    {
        var header = "id,name,birthYear\n";
        foreach (var (csv, expected) in new[]
        {
            ("q-1,Omar Hassan,1984\n", (400, "InvalidField")),                        // no header: the first row is taken for one
            ("id,name,nickname\nq-1,Omar Hassan,Abu Ali\n", (400, "InvalidField")),  // a column nobody knows
            ("id,birthYear\nq-1,1984\n", (400, "InvalidField")),                     // no name column
            (header, (400, "InvalidField")),                                         // no rows
            (header + "q-1,\"Omar Hassan,1984\n", (400, "InvalidField")),            // a quote never closed
            (header + string.Concat(Enumerable.Range(0, 50_001).Select(i => $"q-{i},Omar Hassan,1984\n")), (413, "TooManyRows")),
        })
        {
            var (status, problem) = await Import(csv);
            Assert.Equal(expected, (status, (string?)problem?["code"]));
        }
        var (missing, body) = await SendJson("{}"); // JSON without 'csv'
        Assert.Equal((400, "InvalidField"), (missing, (string?)body!["code"]));
        Assert.Equal(404, (await _node.Get("/api/inquiries/q-1")).Status);
    }

    private async Task<(int Status, JsonNode? Body)> SendJson(string json)
    {
        using var response = await _desk.PostAsync("/api/inquiries/import",
            new StringContent(json, Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        return ((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)));
    }

    [Fact]
    public async Task Only_the_family_desk_and_leads_import()
    {
        var monitorToken = (string)(await _node.Post("/api/tokens", new { role = "monitor", expires = "1h" })).Body!["token"]!;
        using var monitor = _node.Client(monitorToken);
        Assert.Equal(403, (await Import(PartnerList, client: monitor)).Status);
        Assert.Equal(404, (await _node.Get("/api/inquiries/p-001")).Status);
    }

    [Fact]
    public async Task Coord_imports_a_list_and_shows_the_refused_rows()
    {
        var file = Path.Combine(_node.DataFolder, "partner.csv");
        await File.WriteAllTextAsync(file, PartnerList, TestContext.Current.CancellationToken);
        var (exit, output, _) = await CoordRunner.Run(_node.BaseAddress,
            Path.Combine(_node.DataFolder, "outbox.jsonl"), _deskToken, "family", "import", file);
        Assert.Equal(ExitCode.Ok, exit);
        Assert.Contains("accepted", output);
        Assert.Contains("InquiryAlreadyRegistered", output);
        Assert.Contains("bad id!", output);
        var (missingExit, _, _) = await CoordRunner.Run(_node.BaseAddress, Path.Combine(_node.DataFolder, "outbox.jsonl"),
            _deskToken, "family", "import", file + ".nowhere");
        Assert.Equal(ExitCode.Invalid, missingExit);
    }
}

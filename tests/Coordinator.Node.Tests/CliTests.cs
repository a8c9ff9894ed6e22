using System.Text.Json.Nodes;
using Coordinator.Cli;
using Coordinator.Node.Tests.Support;

namespace Coordinator.Node.Tests;

/// <summary>`coord` against a real node over HTTP, as a lead and a field unit would use it.</summary>
public class CliTests : IAsyncLifetime
{
    private NodeUnderTest _node = null!;
    private string _outbox = "";

    public async ValueTask InitializeAsync()
    {
        _node = await NodeUnderTest.StartAsync();
        _outbox = Path.Combine(_node.DataFolder, "outbox.jsonl");
    }

    public async ValueTask DisposeAsync() => await _node.DisposeAsync();

    private Task<(int Exit, string Out, string Err)> Coord(params string[] args) => CoordAs(NodeUnderTest.BootstrapToken, args);

    private Task<(int Exit, string Out, string Err)> CoordAs(string token, params string[] args) =>
        CoordRunner.Run(_node.BaseAddress, _outbox, token, args);

    private static string Example(string file)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Coordinator.sln"))) dir = dir.Parent;
        return Path.Combine(dir!.FullName, "docs", "examples", file);
    }

    [Fact]
    public async Task Coord_walks_every_page_of_a_list_or_takes_the_first_limit_items()
    {
        var ct = TestContext.Current.CancellationToken;
        var desk = (string)(await _node.Post("/api/tokens", new { role = "familydesk", expires = "1h" })).Body!["token"]!;
        foreach (var i in Enumerable.Range(0, 5))
            Assert.Equal(0, (await CoordAs(desk, "family", "register", "--id", $"inq-{i}", "--name", "Omar Haddad", "--born", $"{1970 + i}")).Exit);
        using var api = new Coordinator.Cli.Api(_node.BaseAddress, TimeSpan.FromSeconds(30), desk);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        JsonArray whole;
        while ((whole = (await api.Get("/api/inquiries", ct)).Body!["items"]!.AsArray()).Count < 5 && DateTime.UtcNow < deadline)
            await Task.Delay(50, ct);
        var ids = whole.Select(i => (string)i!["id"]!).ToList();
        Assert.Equal(5, ids.Count);

        // Two items a page: three pages, followed to the end, in the list's order.
        var walked = await api.Walk("/api/inquiries", null, ct, pageSize: 2);
        Assert.Equal(ids, walked.Body!.AsArray().Select(i => (string)i!["id"]!));
        Assert.Equal(ids, JsonNode.Parse((await CoordAs(desk, "family", "inquiries", "--json")).Out)!.AsArray().Select(i => (string)i!["id"]!));
        var first = await CoordAs(desk, "family", "inquiries", "--limit", "3", "--json");
        Assert.Equal(ids.Take(3), JsonNode.Parse(first.Out)!.AsArray().Select(i => (string)i!["id"]!));
        var refused = await CoordAs(desk, "family", "inquiries", "--limit", "0");
        Assert.Equal(ExitCode.Invalid, refused.Exit);
        Assert.Contains("'limit' must be 1-1000", refused.Err);
    }

    [Fact]
    public async Task A_lead_sets_up_an_operation_and_a_field_unit_reports_with_coord()
    {
        Assert.Equal(0, (await Coord("facility", "add", "saydnaya", "--name", "Saydnaya", "--alias", "Sednaya", "--location", "near Damascus")).Exit);
        var import = await Coord("facility", "import", "saydnaya", Example("saydnaya-layout.json"));
        Assert.Equal(0, import.Exit);
        Assert.Contains("R-B2", import.Out);
        var again = await Coord("facility", "import", "saydnaya", Example("saydnaya-layout.json"), "--json");
        Assert.Equal(316, (int)JsonNode.Parse(again.Out)!["sectors"]!);

        Assert.Equal(0, (await Coord("team", "add", "SAR-1", "--call-sign", "Sierra One", "--size", "6", "--capability", "Search")).Exit);
        Assert.Equal(0, (await Coord("team", "add", "DOOR-1", "--call-sign", "Delta One", "--size", "3",
            "--capability", "DoorOpening", "Search")).Exit);

        var lacks = await Coord("assign", "SAR-1", "saydnaya", "R-B2-A-01");
        Assert.Equal((ExitCode.Refused, true), (lacks.Exit, lacks.Err.Contains("TeamLacksCapability")));
        Assert.Equal(0, (await Coord("assign", "SAR-1", "saydnaya", "R-G-A-01")).Exit);
        // The lead issues the unit its own token; the unit reports with it.
        var issued = JsonNode.Parse((await Coord("token", "issue", "--role", "field", "--team", "SAR-1", "--expires", "12h", "--json")).Out)!;
        var field = (string)issued["token"]!;
        Assert.Equal(ExitCode.Forbidden, (await CoordAs(field, "assign", "SAR-1", "saydnaya", "R-G-A-02")).Exit); // only leads assign
        Assert.Equal(0, (await CoordAs(field, "report", "entered", "--team", "SAR-1", "--facility", "saydnaya", "--sector", "R-G-A-01")).Exit);
        var persons = await CoordAs(field, "report", "persons", "--team", "SAR-1", "--facility", "saydnaya", "--sector", "R-G-A-01", "--alive", "2",
            "--needs-medical", "--details", "two brothers from Hama");
        Assert.Equal(0, persons.Exit);
        Assert.Contains("accepted", persons.Out);
        Assert.Equal(0, (await CoordAs(field, "report", "cleared", "--team", "SAR-1", "--facility", "saydnaya", "--sector",
            "R-G-A-01", "--method", "Visual")).Exit);

        var show = await Coord("sector", "show", "saydnaya", "R-G-A-01", "--json");
        var sector = JsonNode.Parse(show.Out)!;
        Assert.Equal(("Cleared", 2), ((string)sector["status"]!, (int)sector["personsAlive"]!));
        var history = await Coord("history", "saydnaya", "R-G-A-01");
        Assert.Contains("PersonsFound", history.Out);
        Assert.Contains($"field:SAR-1:{(string)issued["id"]!}", history.Out);
        Assert.Contains((string)issued["id"]!, (await Coord("token", "list")).Out);

        var list = await Coord("team", "list");
        Assert.Contains("DOOR-1", list.Out);
        Assert.Equal(0, (await Coord("team", "status", "DOOR-1", "Resting")).Exit);
        Assert.Equal("Resting", (string)JsonNode.Parse((await Coord("team", "show", "DOOR-1", "--json")).Out)!["status"]!);

        Assert.Equal(ExitCode.Refused, (await Coord("signoff", "saydnaya")).Exit);
        Assert.Equal(ExitCode.NotFound, (await Coord("facility", "show", "nowhere")).Exit);
        Assert.Equal(ExitCode.Invalid, (await Coord("team", "add", "X")).Exit); // missing required options
        Assert.Equal(ExitCode.Invalid, (await Coord("assign", "SAR-1", "saydnaya")).Exit);
        Assert.Contains("saydnaya", (await Coord("facility", "list")).Out);

        // The board trails the reports by a moment: a monitor sees the cleared cell once the view has read it.
        var watch = await Coord("watch", "saydnaya", "--once");
        for (var until = DateTime.UtcNow.AddSeconds(20); !watch.Out.Contains("0.4%")
            && DateTime.UtcNow < until; await Task.Delay(100, TestContext.Current.CancellationToken))
            watch = await Coord("watch", "saydnaya", "--once");
        Assert.Equal(0, watch.Exit);
        Assert.Contains("R-B2", watch.Out);
        Assert.Contains("SAR-1", watch.Out);
        Assert.True(watch.Out.Contains("0.4%"), watch.Out); // one cleared cell of 267
        Assert.Equal(ExitCode.NotFound, (await Coord("watch", "nowhere", "--once")).Exit);
    }

    [Fact]
    public async Task Reports_made_while_the_node_is_down_wait_in_the_outbox_and_are_applied_once_when_it_is_back()
    {
        await Coord("facility", "add", "adra", "--name", "Adra");
        await Coord("sector", "add", "adra", "G", "--kind", "Level");
        await Coord("sector", "add", "adra", "G-1", "--parent", "G", "--kind", "Cell");
        await Coord("team", "add", "K9-1", "--call-sign", "Kilo", "--size", "4", "--capability", "K9", "Search");
        Assert.Equal(0, (await Coord("assign", "K9-1", "adra", "G-1")).Exit);

        await _node.StopAsync();
        var entered = await Coord("report", "entered", "--team", "K9-1", "--facility", "adra", "--sector", "G-1", "--report-id", "radio-1");
        var found = await Coord("report", "persons", "--team", "K9-1", "--facility", "adra", "--sector", "G-1",
            "--alive", "1", "--report-id", "radio-2");
        Assert.Equal((ExitCode.Queued, ExitCode.Queued), (entered.Exit, found.Exit));
        Assert.Contains("outbox flush", found.Err);
        var waiting = JsonNode.Parse((await Coord("outbox", "list", "--json")).Out)!.AsArray();
        Assert.Equal(["radio-1", "radio-2"], waiting.Select(r => (string)r!["reportId"]!).ToArray());

        await _node.StartAgainAsync();
        var flush = await Coord("outbox", "flush");
        Assert.Equal(0, flush.Exit);
        Assert.Contains("radio-1", flush.Out);
        Assert.Empty(JsonNode.Parse((await Coord("outbox", "list", "--json")).Out)!.AsArray());

        // A unit that flushes twice (it never saw the first answer) changes nothing: same ids, applied once.
        File.WriteAllText(_outbox, string.Join("\n", waiting.Select(r => r!.ToJsonString())));
        Assert.Equal(0, (await Coord("outbox", "flush")).Exit);
        var sector = JsonNode.Parse((await Coord("sector", "show", "adra", "G-1", "--json")).Out)!;
        Assert.Equal(("InProgress", 1, 4), ((string)sector["status"]!, (int)sector["personsAlive"]!, (int)sector["version"]!));
    }

    [Fact]
    public async Task The_family_desk_works_from_coord()
    {
        await _node.Post("/api/facilities", new { id = "adra", name = "Adra" });
        await _node.Put("/api/facilities/adra/layout",
            new { sectors = new object[] { new { id = "B1", kind = "Level" }, new { id = "B1-1", parent = "B1", kind = "Cell" } } });
        await _node.Post("/api/teams", new { id = "SAR-1", callSign = "S", size = 5, capabilities = new[] { "Search" } });
        Assert.Equal(0, (await Coord("assign", "SAR-1", "adra", "B1-1")).Exit);
        Assert.Equal(0, (await Coord("report", "entered", "--team", "SAR-1", "--facility", "adra", "--sector", "B1-1")).Exit);
        var bad = await Coord("report", "persons", "--team", "SAR-1", "--facility", "adra", "--sector", "B1-1", "--person", "nom=Omar");
        Assert.Equal(ExitCode.Invalid, bad.Exit);
        var found = await Coord("report", "persons", "--team", "SAR-1", "--facility", "adra", "--sector", "B1-1", "--json",
            "--person", "name=عمر حسن الدوماني;age=41;town=دوما;condition=weak", "--person", "name=Rami Suleiman;born=1988");
        Assert.Equal(0, found.Exit);
        var omar = (string)JsonNode.Parse(found.Out)!["persons"]![0]!;

        var desk = (string)JsonNode.Parse((await Coord("token", "issue", "--role", "familydesk", "--json")).Out)!["token"]!;
        var monitor = (string)JsonNode.Parse((await Coord("token", "issue", "--role", "monitor", "--json")).Out)!["token"]!;
        Assert.Equal(ExitCode.Forbidden, (await CoordAs(monitor, "family", "inquiries")).Exit);
        var registered = await CoordAs(desk, "family", "register", "--id", "inq-omar", "--name", "Omar Hassan Al-Doumani", "--father", "Hassan",
            "--born", "1984", "--town", "Douma", "--contact", "+90 555 0101");
        Assert.Equal(0, registered.Exit);
        Assert.Contains("Omar Hassan Al-Doumani", registered.Out);

        // The view trails the report by a moment: ask until the candidate is there.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        string candidates;
        while (!(candidates = (await CoordAs(desk, "family", "candidates", "inq-omar")).Out).Contains(omar) && DateTime.UtcNow < deadline)
            await Task.Delay(50, TestContext.Current.CancellationToken);
        Assert.Contains(omar, candidates);
        Assert.Contains("strong", candidates);
        Assert.Contains(omar, (await CoordAs(desk, "family", "persons", "Omar Doumani")).Out);

        Assert.Equal(0, (await CoordAs(desk, "family", "confirm", "inq-omar", omar, "--note", "sister identified him")).Exit);
        var csv = Path.Combine(_node.DataFolder, "matches.csv");
        while (!(File.Exists(csv) && (await File.ReadAllTextAsync(csv, TestContext.Current.CancellationToken)).Contains(omar))
            && DateTime.UtcNow < deadline)
            Assert.Equal(0, (await CoordAs(desk, "family", "export", "matches", "--out", csv)).Exit);
        Assert.Contains("sister identified him", await File.ReadAllTextAsync(csv, TestContext.Current.CancellationToken));

        var corrected = await CoordAs(desk, "family", "correct", omar, "--person", "name=عمر حسن الدوماني;born=1984;town=دوما",
            "--reason", "birth year from his sister");
        Assert.Equal(0, corrected.Exit);
        Assert.Equal(0, (await CoordAs(desk, "family", "close", "inq-omar", "--reason", "found, family informed")).Exit);
        var closed = await CoordAs(desk, "family", "reject", "inq-omar", omar);
        Assert.Equal((ExitCode.Refused, true), (closed.Exit, closed.Err.Contains("InquiryClosed")));

        // A lead erases both records; a second erasure is refused with its code.
        var erased = await Coord("family", "erase-person", omar, "--reason", "asked by the family, request 3");
        Assert.Equal(0, erased.Exit);
        Assert.Contains("erased", erased.Out);
        Assert.Equal(0, (await Coord("family", "erase-inquiry", "inq-omar", "--reason", "asked by the family, request 3")).Exit);
        var again = await Coord("family", "erase-inquiry", "inq-omar", "--reason", "again");
        Assert.Equal((ExitCode.Refused, true), (again.Exit, again.Err.Contains("InquiryAlreadyErased")));
    }
}

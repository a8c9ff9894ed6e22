using System.Text.Json.Nodes;
using Coordinator.Node.Tests.Support;

namespace Coordinator.Node.Tests;

/// <summary>The live side over HTTP: the board, coverage, the printable report, and the stream with resume.</summary>
public class LiveTests : IAsyncLifetime
{
    private NodeUnderTest _node = null!;

    public async ValueTask InitializeAsync()
    {
        _node = await NodeUnderTest.StartAsync();
        Assert.Equal(201, (await _node.Post("/api/facilities", new { id = "adra", name = "Adra", aliases = new[] { "Adra prison" } })).Status);
        var cells = Enumerable.Range(1, 6).Select(i => new { id = $"B1-{i}", parent = "B1", kind = "Cell" });
        Assert.Equal(200, (await _node.Put("/api/facilities/adra/layout",
            new { sectors = cells.Cast<object>().Prepend(new { id = "B1", parent = (string?)null, kind = "Level" }).ToArray() })).Status);
        Assert.Equal(201, (await _node.Post("/api/teams",
            new { id = "K9-1", callSign = "Kilo", size = 3, capabilities = new[] { "K9", "Search" } })).Status);
    }

    public async ValueTask DisposeAsync() => await _node.DisposeAsync();

    private Task<(int Status, JsonNode? Body)> Report(string id, string sector, string kind, object? extra = null)
    {
        var body = JsonNode.Parse(NodeUnderTest.Json(extra ?? new { }))!.AsObject();
        body["reportId"] = id; body["teamId"] = "K9-1"; body["facilityId"] = "adra"; body["sectorId"] = sector; body["kind"] = kind;
        return _node.Post("/api/reports", body.ToJsonString());
    }

    private async Task Search(string sector, string prefix)
    {
        Assert.Equal(201, (await _node.Post("/api/assignments", new { teamId = "K9-1", facilityId = "adra", sectorId = sector })).Status);
        Assert.Equal(200, (await Report($"{prefix}-in", sector, "Entered")).Status);
        Assert.Equal(200, (await Report($"{prefix}-p", sector, "PersonsFound", new { alive = 1, needsMedical = true })).Status);
        Assert.Equal(200, (await Report($"{prefix}-out", sector, "Cleared", new { method = "K9" })).Status);
    }

    private async Task<JsonNode> Board(Func<JsonNode, bool> until)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var board = (await _node.Get("/api/board")).Body!;
            if (until(board)) return board;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"board never showed it: {board.ToJsonString()}");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task The_board_coverage_and_printable_report_show_who_searched_what_and_how()
    {
        await Search("B1-1", "a");
        // The team leaves the sector by its own event, a moment after the sector's.
        var board = await Board(b => b["facilities"]!.AsArray() is [{ } f] && (int)f["progress"]!["cleared"]! == 1
                                    && b["teams"]!.AsArray() is [{ } team] && (string)team["status"]! == "Available");
        var adra = board["facilities"]![0]!;
        Assert.Equal((6, 1, 1), ((int)adra["progress"]!["leaves"]!, (int)adra["progress"]!["personsAlive"]!, (int)adra["levels"]!.AsArray().Count));
        Assert.Equal("Available", (string)board["teams"]![0]!["status"]!);
        Assert.Empty(board["openAlerts"]!.AsArray()); // persons found in a sector now cleared: nothing left open

        var alerts = await _node.All("/api/alerts");
        Assert.Equal("NeedsMedical", (string)alerts[0]!["kind"]!);

        var coverage = (await _node.Get("/api/facilities/adra/coverage")).Body!.AsArray();
        var cell = coverage.Single(r => (string)r!["sector"]! == "B1-1")!;
        var visit = cell["visits"]![0]!;
        Assert.Equal(("K9-1", "K9", "Cleared", 1),
            ((string)visit["team"]!, (string)visit["method"]!, (string)visit["outcome"]!, (int)visit["alive"]!));
        Assert.Contains("K9 search", (string)cell["marking"]!);
        Assert.EndsWith("L-1 D-0", (string)cell["marking"]!);

        var csv = await _node.Http.GetStringAsync("/api/facilities/adra/coverage?format=csv", TestContext.Current.CancellationToken);
        var lines = csv.Trim().Split('\n');
        Assert.StartsWith("facility,sector,", lines[0]);
        Assert.Equal(8, lines.Length); // header, the level, six cells
        Assert.Contains(lines, l => l.StartsWith("adra,B1-1,") && l.Contains(",K9-1,") && l.Contains("L-1 D-0"));

        var report = await _node.Http.GetStringAsync("/facilities/adra/report", TestContext.Current.CancellationToken);
        Assert.Contains("Coverage report — Adra", report);
        Assert.Contains("K9-1 | K9 search", report);
        Assert.Contains("not visited", report);
    }

    [Fact]
    public async Task The_printed_report_keeps_the_visits_of_a_cell_a_hidden_space_was_later_found_under()
    {
        await Search("B1-1", "a"); // cleared, one person found alive
        Assert.Equal(200, (await Report("a-h", "B1-1", "HiddenSpaceFound",
            new { newSectorId = "B1-1-V", name = "void below", needs = new[] { "Breaching" } })).Status);
        // The board's view may trail the report by a moment; polled gently (the node limits requests per token).
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((await _node.Get("/api/facilities/adra/coverage")).Body is not JsonArray coverage
               || !coverage.Any(r => (string)r!["sector"]! == "B1-1-V"))
        {
            Assert.True(DateTime.UtcNow < deadline, "the hidden space never reached the coverage");
            await Task.Delay(250, TestContext.Current.CancellationToken);
        }

        foreach (var (lang, within, notVisited) in new[]
                 {
                     ("en", "within it, searched on their own:", "not visited"),
                     ("ar", "في داخله، ويُفتَّش كلٌّ وحده:", "لم يدخله أي فريق"),
                 })
        {
            var report = await _node.Http.GetStringAsync($"/facilities/adra/report?lang={lang}", TestContext.Current.CancellationToken);
            string Row(string sector) => report.Split("<tr").Single(r => r.Contains($"<td>{sector}<br>"));
            var cell = Row("B1-1");
            Assert.Contains("K9-1", cell); // its visit stays, with what was found in it
            Assert.Contains(lang == "en" ? "L-1 D-0" : "أحياء ١", cell);
            Assert.Contains($"{within} <bdi>B1-1-V</bdi>", cell);
            Assert.Contains(notVisited, Row("B1-1-V"));
        }
    }

    [Fact]
    public async Task A_client_that_reconnects_with_Last_Event_ID_receives_exactly_the_events_it_missed()
    {
        await using var steady = await SseClient.ConnectAsync(_node.BaseAddress, "/api/stream", NodeUnderTest.BootstrapToken);
        var flaky = await SseClient.ConnectAsync(_node.BaseAddress, "/api/stream?facility=adra", NodeUnderTest.BootstrapToken);

        await Search("B1-1", "a");
        var first = await steady.UntilAsync(ProgressAfterClearing("B1-1"), TimeSpan.FromSeconds(20));
        var seenByFlaky = await flaky.UntilAsync(ProgressAfterClearing("B1-1"), TimeSpan.FromSeconds(20));
        var lastSeen = seenByFlaky[^1].Id!;
        await flaky.DisposeAsync(); // the unit's link drops

        await Search("B1-2", "b");
        await Search("B1-3", "c");
        var rest = await steady.UntilAsync(ProgressAfterClearing("B1-3"), TimeSpan.FromSeconds(20));
        var all = first.Concat(rest).ToList();

        await using var resumed = await SseClient.ConnectAsync(_node.BaseAddress, "/api/stream?facility=adra",
            NodeUnderTest.BootstrapToken, lastEventId: lastSeen);
        var missed = all.SkipWhile(e => e.Id != lastSeen).Skip(1).Where(e => e.Event != "team").ToList();
        Assert.True(missed.Count >= 10, $"only {missed.Count} events were missed");
        var got = await resumed.UntilAsync(missed[^1].Id!, TimeSpan.FromSeconds(20));
        Assert.Equal(missed.Select(e => e.Id), got.Where(e => e.Event != "team").Select(e => e.Id));
        Assert.Equal(missed.Select(e => e.Data!.ToJsonString()), got.Where(e => e.Event != "team").Select(e => e.Data!.ToJsonString()));
        Assert.Equal(got.Count, got.Select(e => e.Id).Distinct().Count());
        Assert.Contains(got, e => e.Event == "alert" && (string)e.Data!["data"]!["kind"]! == "NeedsMedical");
        var after = await resumed.NextAsync(TimeSpan.FromMilliseconds(500));
        Assert.True(after is null || after.Event == "team", $"nothing but team news may follow, got {after?.Event}"); // no repeats

        // Keep-alive comments flow while nothing happens (every second in this test's settings).
        var quietUntil = DateTime.UtcNow.AddSeconds(5);
        while (!steady.Comments.Contains(": keep-alive") && DateTime.UtcNow < quietUntil) await steady.NextAsync(TimeSpan.FromSeconds(1.5));
        Assert.Contains(": keep-alive", steady.Comments);
    }

    /// <summary>The progress event that follows the one saying this sector is cleared: the end of that report's changes.</summary>
    private static Func<Sse, bool> ProgressAfterClearing(string sector)
    {
        var cleared = false;
        return e =>
        {
            if (e.Event == "sector" && (string?)e.Data!["sector"] == sector && (string?)e.Data["data"]!["status"] == "Cleared") cleared = true;
            return cleared && e.Event == "progress";
        };
    }
}

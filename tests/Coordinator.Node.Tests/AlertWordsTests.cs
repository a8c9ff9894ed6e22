using Coordinator.Domain.Views;
using Coordinator.Node.Tests.Support;
using Microsoft.Playwright;

namespace Coordinator.Node.Tests;

/// <summary>
/// Every kind of alert on the Arabic board says what happened in Arabic: the node sends facts (how many alive, what a
/// sector needs, where a hidden space is, since when a team is on duty), the page words them from its strings. Only what
/// people gave the node (ids, call signs, a team's note) may be in Latin letters or Western digits, and then isolated.
/// </summary>
public class AlertWordsTests : IAsyncLifetime
{
    private static readonly Dictionary<string, string> Ar = Pages.Strings("ar");
    private NodeUnderTest _node = null!;

    // A short shift, so the clock's two alerts stand beside the reports' within the test.
    public async ValueTask InitializeAsync() => _node = await NodeUnderTest.StartAsync("--Coordinator:Teams:ShiftLimit=00:00:02");

    public async ValueTask DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task Every_alert_kind_on_the_Arabic_board_is_in_Arabic_besides_what_people_wrote()
    {
        await _node.Post("/api/facilities", new { id = "saydnaya", name = "صيدنايا" });
        await _node.Put("/api/facilities/saydnaya/layout", new
        {
            sectors = new object[] { new { id = "B2", kind = "Level" } }
                .Concat(Enumerable.Range(1, 4).Select(i => new { id = $"B2-{i}", parent = "B2", kind = "Cell" })).ToArray(),
        });
        foreach (var (team, cell) in new[] { ("SAR-1", "B2-1"), ("SAR-2", "B2-2"), ("SAR-3", "B2-3"), ("SAR-4", "B2-4") })
        {
            var registered = await _node.Post("/api/teams",
                new { id = team, callSign = $"Sierra {team[^1]}", size = 4, capabilities = new[] { "Search" } });
            Assert.Equal(201, registered.Status);
            Assert.Equal(201, (await _node.Post("/api/assignments", new { teamId = team, facilityId = "saydnaya", sectorId = cell })).Status);
            await Report(team, cell, new { kind = "Entered" });
        }
        await Report("SAR-1", "B2-1", new { kind = "PersonsFound", alive = 2 });
        await Report("SAR-1", "B2-1", new { kind = "PersonsFound", alive = 1, deceased = 1, needsMedical = true });
        await Report("SAR-1", "B2-1", new { kind = "HiddenSpaceFound", newSectorId = "B2-1-H1", name = "خلف الجدار", note = "behind the wall" });
        await Report("SAR-2", "B2-2", new { kind = "Hazard", hazard = "gas leak" });
        await Report("SAR-3", "B2-3", new { kind = "Blocked", needs = new[] { "DoorOpening", "Breaching" }, note = "iron door" });
        await Report("SAR-4", "B2-4", new { kind = "Cleared", method = "Visual" });
        Assert.Equal(200, (await _node.Post("/api/facilities/saydnaya/sectors/B2-4/reopen", new { reason = "search again" })).Status);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var page = await BoardAsync(browser, "ar-SY");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "ar");
        foreach (var kind in Enum.GetValues<AlertKind>()) // the shift's two come from the clock, past 2 s and 3 s on duty
            await Assertions.Expect(page.Locator($"#alerts li.{kind}").First).ToBeAttachedAsync(new() { Timeout = 15_000 });

        var alerts = page.Locator("#alerts");
        await Assertions.Expect(alerts.Locator("li.NeedsMedical")).ToContainTextAsync(Ar["alertText.NeedsMedical"].Split(':')[0]);
        await Assertions.Expect(alerts.Locator("li.Blocked")).ToContainTextAsync($"{Ar["capability.DoorOpening"]}، {Ar["capability.Breaching"]}");
        await Assertions.Expect(alerts.Locator("li.PersonsFound")).ToContainTextAsync("٢"); // 2 alive, in the digits of the page
        await Assertions.Expect(alerts.Locator("li.Hazard")).ToContainTextAsync("gas leak"); // the team's words, as written
        var latin = await page.EvaluateAsync<string[]>("""
            () => {
              const box = document.querySelector("#alerts").cloneNode(true);
              for (const own of box.querySelectorAll("bdi, [dir=auto]")) own.remove(); // names, ids, notes: as people wrote them
              const text = box.innerText.replace(/\u2068[^\u2069]*\u2069/g, " "); // ids and call signs isolated in a sentence
              return text.match(/[A-Za-z0-9]+/g) ?? [];
            }
            """);
        Assert.Empty(latin);
        await Pages.Screenshot(page, "alerts-ar.png");
    }

    [Theory]
    [InlineData("en-GB", "en")]
    [InlineData("ar-SY", "ar")]
    public async Task Forty_nine_reports_from_one_cell_are_one_line_and_one_seen_clears_them(string locale, string lang)
    {
        var text = Pages.Strings(lang);
        await _node.Post("/api/facilities", new { id = "adra", name = "Adra" });
        await _node.Put("/api/facilities/adra/layout",
            new { sectors = new object[] { new { id = "A", kind = "Level" }, new { id = "A-1", parent = "A", kind = "Cell" } } });
        await _node.Post("/api/teams", new { id = "SAR-1", callSign = "Sierra One", size = 4, capabilities = new[] { "Search" } });
        Assert.Equal(201, (await _node.Post("/api/assignments", new { teamId = "SAR-1", facilityId = "adra", sectorId = "A-1" })).Status);
        await Report("SAR-1", "A-1", new { kind = "Entered" }, "adra");
        for (var i = 0; i < 49; i++) await Report("SAR-1", "A-1", new { kind = "PersonsFound", alive = 1 }, "adra");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var page = await BoardAsync(browser, locale);
        var group = page.Locator("#alerts li.PersonsFound");
        await Assertions.Expect(group).ToHaveCountAsync(1);
        await Assertions.Expect(group).ToHaveAttributeAsync("data-count", "49");
        var count = lang == "ar" ? "٤٩" : "49";
        await Assertions.Expect(group.Locator(".count")).ToHaveTextAsync(text["alerts.count"].Replace("{count}", count));
        // What stands is all of them: the persons of the 49 reports added up.
        await Assertions.Expect(group).ToContainTextAsync(text["alertText.PersonsFound"].Replace("{alive}", count).Split('·')[0].Trim());

        await Pages.Screenshot(page, $"alerts-grouped-{lang}.png", fullPage: false);
        await group.Locator("button.acknowledge").ClickAsync();
        // One by one, saying how far it has come: 49 records take a moment on a loaded machine.
        await Assertions.Expect(group).ToHaveCountAsync(0, new() { Timeout = 60_000 });
        // The node's view learns of the acknowledgements a moment after they are recorded: read it until it has.
        var until = DateTime.UtcNow.AddSeconds(20);
        while ((await _node.Get("/api/alerts?open=true&limit=1000")).Body!["items"]!.AsArray()
               .Any(a => (string?)a!["kind"] == "PersonsFound" && (string?)a["sector"] == "A-1"))
        {
            Assert.True(DateTime.UtcNow < until, "the node still lists the acknowledged alerts as open after 20 s");
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
        await page.ReloadAsync(); // the node holds it so, not only this page
        await Assertions.Expect(page.Locator("#alerts li.ShiftLimit").First).ToBeAttachedAsync(new() { Timeout = 15_000 });
        await Assertions.Expect(page.Locator("#alerts li.PersonsFound")).ToHaveCountAsync(0);
    }

    /// <summary>The board at a lead's laptop size, in the browser's language, signed in as a lead.</summary>
    private async Task<IPage> BoardAsync(IBrowser browser, string locale)
    {
        var page = await browser.NewPageAsync(new BrowserNewPageOptions
        {
            ViewportSize = new ViewportSize { Width = 1366, Height = 768 },
            Locale = locale,
        });
        await page.GotoAsync(_node.BaseAddress.ToString());
        await page.FillAsync("#token", NodeUnderTest.BootstrapToken);
        await page.ClickAsync("#sign-in button[type=submit]");
        return page;
    }

    private async Task Report(string team, string sector, object report, string facility = "saydnaya")
    {
        var body = System.Text.Json.Nodes.JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(report))!.AsObject();
        (body["reportId"], body["teamId"], body["facilityId"], body["sectorId"]) = (Guid.NewGuid().ToString("n"), team, facility, sector);
        var (status, answer) = await _node.Post("/api/reports", body);
        Assert.True(status == 200, $"{report}: {status} {answer}");
    }
}

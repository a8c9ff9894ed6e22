using System.Net.Http.Json;
using Coordinator.Node.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Coordinator.Node.Tests;

/// <summary>
/// A lead runs a cell from the board (real node, real browser): picks a team from the suggestions, recalls, reopens,
/// is refused sign-off with the blocking cells listed, and signs off once the field has cleared them. A monitor's
/// page, in a second browser, sees each change live and has no controls.
/// </summary>
public class LeadConsoleTests : IAsyncLifetime
{
    private static readonly Dictionary<string, string> En = Pages.Strings("en"), Ar = Pages.Strings("ar");
    private NodeUnderTest _node = null!;
    private int _reports;

    public async ValueTask InitializeAsync() => _node = await NodeUnderTest.StartAsync();
    public async ValueTask DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task A_lead_assigns_from_the_suggestions_recalls_reopens_and_signs_off_while_a_monitor_watches()
    {
        await _node.Post("/api/facilities", new { id = "saydnaya", name = "Saydnaya" });
        Assert.Equal(200, (await _node.Put("/api/facilities/saydnaya/layout", new
        {
            sectors = new object[]
            {
                new { id = "B2", kind = "Level" },
                new { id = "B2-1", parent = "B2", kind = "Cell", name = "Iron door cell", needs = new[] { "DoorOpening" } },
                new { id = "B2-2", parent = "B2", kind = "Cell", name = "Cell two" },
                new { id = "B2-3", parent = "B2", kind = "Cell", name = "Cell three" },
            },
        })).Status);
        await _node.Post("/api/teams", new { id = "DOOR-1", callSign = "Delta One", size = 4, capabilities = new[] { "Search", "DoorOpening" } });
        await _node.Post("/api/teams", new { id = "SAR-1", callSign = "Sierra One", size = 6, capabilities = new[] { "Search" } });
        await _node.Post("/api/teams", new { id = "SAR-2", callSign = "Sierra Two", size = 6, capabilities = new[] { "Search", "DoorOpening" } });
        await _node.Post("/api/teams/SAR-2/status", new { status = "Resting" });
        var monitorToken = await Token(new { role = "monitor", expires = "1h" });
        var field = new Dictionary<string, string>
        {
            ["DOOR-1"] = await Token(new { role = "field", team = "DOOR-1", expires = "1h" }),
            ["SAR-1"] = await Token(new { role = "field", team = "SAR-1", expires = "1h" }),
        };

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var (lead, leadCsp) = await SignedIn(browser, NodeUnderTest.BootstrapToken);
        var (monitor, monitorCsp) = await SignedIn(browser, monitorToken);
        ILocator Cell(IPage page, string id) => page.Locator($"#levels .cell[data-sector='{id}']");

        // The iron-door cell: the team with DoorOpening first, with why; the team without it greyed, with why not.
        await Cell(lead, "B2-1").ClickAsync();
        var suggestions = lead.Locator("#suggestions li");
        await Expect(suggestions).ToHaveCountAsync(1);
        await Expect(suggestions.First).ToHaveAttributeAsync("data-team", "DOOR-1");
        await Expect(suggestions.First).ToContainTextAsync("has Door opening");
        await Expect(suggestions.First).ToContainTextAsync("available");
        var lacking = lead.Locator("#cannot li[data-team='SAR-1']");
        await Expect(lacking).ToContainTextAsync("lacks Door opening");
        await Expect(lead.Locator("#cannot li[data-team='SAR-2']")).ToContainTextAsync("Resting");
        Assert.Equal("0.55", await lacking.EvaluateAsync<string>("e => getComputedStyle(e).opacity")); // greyed

        // Tried anyway: the coordinator's refusal, explained for this team and this cell.
        await lacking.Locator("button").ClickAsync();
        await Expect(lead.Locator("#cell-message"))
            .ToHaveTextAsync("Refused: team SAR-1 lacks Door opening, which this sector needs. Send a team that has it.");
        await Expect(Cell(lead, "B2-1")).ToHaveAttributeAsync("data-status", "Unsearched");
        await Pages.Screenshot(lead, "lead-cell.png");

        // The same in Arabic, right to left, then back.
        await lead.Keyboard.PressAsync("Escape");
        await lead.ClickAsync("header .language-switch");
        await Expect(lead.Locator("html")).ToHaveAttributeAsync("dir", "rtl");
        await Expect(lead.Locator("#sign-off")).ToHaveTextAsync(Ar["cell.signOff"]);
        await Expect(lead.Locator("#find label").First).ToContainTextAsync(Ar["find.search"]);
        await Cell(lead, "B2-1").ClickAsync();
        await Expect(lead.Locator("#cell-message")).ToHaveTextAsync(Ar["cell.explain.TeamLacksCapability"]
            .Replace("{team}", "SAR-1").Replace("{capabilities}", Ar["capability.DoorOpening"]));
        await Expect(lead.Locator("#suggestions li button")).ToHaveTextAsync(Ar["cell.assign"]);
        await Expect(lead.Locator("#cell-actions h4").First).ToHaveTextAsync(Ar["cell.heading"]);
        await Pages.Screenshot(lead, "lead-cell-ar.png");
        await lead.Keyboard.PressAsync("Escape");
        await lead.ClickAsync("header .language-switch");
        await Expect(lead.Locator("html")).ToHaveAttributeAsync("dir", "ltr");
        await Cell(lead, "B2-1").ClickAsync();

        // One click assigns the suggested team; the monitor sees it without a reload.
        await suggestions.First.Locator("button").ClickAsync();
        await Expect(lead.Locator("#cell-message")).ToHaveTextAsync("Team DOOR-1 assigned.");
        await Expect(Cell(lead, "B2-1")).ToHaveAttributeAsync("data-status", "Assigned");
        await Expect(lead.Locator("#sector-status")).ToContainTextAsync("Assigned");
        await Expect(Cell(monitor, "B2-1")).ToHaveAttributeAsync("data-status", "Assigned");

        // Recalled: the cell is free again, and the team is back among the suggestions.
        await lead.Locator("#recall").ClickAsync();
        await Expect(lead.Locator("#cell-message")).ToHaveTextAsync("Team DOOR-1 recalled: the sector is free again.");
        await Expect(Cell(lead, "B2-1")).ToHaveAttributeAsync("data-status", "Unsearched");
        await Expect(Cell(monitor, "B2-1")).ToHaveAttributeAsync("data-status", "Unsearched");
        await Expect(lead.Locator("#suggestions li").First).ToHaveAttributeAsync("data-team", "DOOR-1");
        await lead.Keyboard.PressAsync("Escape");

        // A cell the field cleared, reopened with a reason.
        await Assign("SAR-1", "B2-2");
        await Report(field["SAR-1"], "SAR-1", "B2-2", "Entered");
        await Report(field["SAR-1"], "SAR-1", "B2-2", "Cleared");
        await Expect(Cell(lead, "B2-2")).ToHaveAttributeAsync("data-status", "Cleared");
        await Cell(lead, "B2-2").ClickAsync();
        await Expect(lead.Locator("#suggestions")).ToHaveCountAsync(0); // a cleared cell takes no team
        await lead.FillAsync("#reopen-reason", "the wall at the back sounds hollow");
        await lead.ClickAsync("#reopen button[type=submit]");
        await Expect(lead.Locator("#cell-message")).ToHaveTextAsync("Reopened: the sector is unsearched again.");
        await Expect(Cell(lead, "B2-2")).ToHaveAttributeAsync("data-status", "Unsearched");
        await Expect(Cell(monitor, "B2-2")).ToHaveAttributeAsync("data-status", "Unsearched");
        await Expect(lead.Locator("#sector-history li").Last).ToContainTextAsync("Reopened");
        await lead.Keyboard.PressAsync("Escape");

        // Finding: by name, and a filter that dims what does not match, undone in one click.
        await lead.FillAsync("#find-sector", "three");
        await lead.ClickAsync("#find-results button[data-sector='B2-3']");
        await Expect(lead.Locator("#sector-title")).ToContainTextAsync("B2-3");
        await lead.Keyboard.PressAsync("Escape");
        await Assign("SAR-1", "B2-3");
        await lead.SelectOptionAsync("#filter-team", "SAR-1");
        await Expect(lead.Locator("#filter-count")).ToHaveTextAsync("1 of 4 sectors match; the others are dimmed");
        await Expect(Cell(lead, "B2-1")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bdimmed\b"));
        await Expect(Cell(lead, "B2-3")).Not.ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bdimmed\b"));
        await lead.SelectOptionAsync("#filter-needs", "DoorOpening");
        await Expect(lead.Locator("#filter-count")).ToHaveTextAsync("0 of 4 sectors match; the others are dimmed");
        await lead.ClickAsync("#filter-clear");
        await Expect(lead.Locator("#levels .cell.dimmed")).ToHaveCountAsync(0);
        await Expect(lead.Locator("#filter-count")).ToBeHiddenAsync();

        // Sign-off refused: the cells in the way, grouped by why, each opening its dialog.
        await Expect(lead.Locator("#outstanding details[data-why='Unsearched']")).ToContainTextAsync("B2-1");
        await lead.ClickAsync("#sign-off");
        var result = lead.Locator("#sign-off-result");
        await Expect(result).ToContainTextAsync("Sign-off refused: 3 sector(s) are not searched yet.");
        await Expect(result.Locator("details[data-why='Unsearched'] button")).ToHaveCountAsync(2);
        await Expect(result.Locator("details[data-why='Assigned'] button[data-sector='B2-3']")).ToContainTextAsync("Cell three");
        await result.Locator("button[data-sector='B2-1']").ClickAsync();
        await Expect(lead.Locator("#sector-dialog")).ToBeVisibleAsync();
        await Expect(lead.Locator("#sector-title")).ToContainTextAsync("B2-1 — Iron door cell");
        await lead.Keyboard.PressAsync("Escape");

        // The field clears the rest; the list empties live, and sign-off passes.
        await Assign("DOOR-1", "B2-1");
        await Report(field["DOOR-1"], "DOOR-1", "B2-1", "Entered");
        await Report(field["DOOR-1"], "DOOR-1", "B2-1", "Cleared");
        await Report(field["SAR-1"], "SAR-1", "B2-3", "Entered");
        await Report(field["SAR-1"], "SAR-1", "B2-3", "Cleared");
        await Assign("SAR-1", "B2-2");
        await Report(field["SAR-1"], "SAR-1", "B2-2", "Entered");
        await Report(field["SAR-1"], "SAR-1", "B2-2", "Cleared");
        await Expect(lead.Locator("#outstanding")).ToContainTextAsync("Nothing: every sector is searched.");
        await lead.ClickAsync("#sign-off");
        await Expect(result).ToHaveTextAsync("Signed off: the facility is searched completely.");
        await Expect(monitor.Locator(".facility-card[data-facility='saydnaya']")).ToContainTextAsync("signed off");
        await Expect(monitor.Locator("#outstanding")).ToContainTextAsync("Nothing: the facility is signed off.");

        // The monitor's page draws no controls, in the board or in a cell.
        await Expect(monitor.Locator("#facility-actions")).ToBeHiddenAsync();
        await Expect(monitor.Locator("#sign-off")).ToHaveCountAsync(0);
        await Cell(monitor, "B2-1").ClickAsync();
        await Expect(monitor.Locator("#sector-title")).ToContainTextAsync("B2-1");
        await Expect(monitor.Locator("#cell-actions")).ToBeHiddenAsync();
        await Expect(monitor.Locator("#cell-actions button")).ToHaveCountAsync(0);

        // Reopened elsewhere (here through the API): the page stops saying "signed off" and lists the cell again.
        Assert.Equal(200, (await _node.Post("/api/facilities/saydnaya/sectors/B2-3/reopen",
            new { reason = "a second door behind the first" })).Status);
        await Expect(lead.Locator("#sign-off-result")).ToHaveCountAsync(0);
        await Expect(lead.Locator("#outstanding details[data-why='Unsearched']")).ToContainTextAsync("B2-3");

        Assert.Empty(leadCsp);
        Assert.Empty(monitorCsp);
    }

    [Fact]
    public async Task Suggestions_and_the_sign_off_list_answer_404_for_what_is_not_there()
    {
        await _node.Post("/api/facilities", new { id = "saydnaya", name = "Saydnaya" });
        // Both read the live board, which has the facility a moment after it is recorded.
        for (var until = DateTime.UtcNow.AddSeconds(10); (await _node.Get("/api/facilities/saydnaya/outstanding")).Status != 200;)
        {
            Assert.True(DateTime.UtcNow < until, "the live board never showed the facility");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
        var (status, body) = await _node.Get("/api/facilities/nowhere/sectors/B2-1/suggestions");
        Assert.Equal((404, "FacilityNotFound"), (status, (string?)body!["code"]));
        (status, body) = await _node.Get("/api/facilities/saydnaya/sectors/B2-1/suggestions");
        Assert.Equal((404, "SectorNotFound"), (status, (string?)body!["code"]));
        (status, body) = await _node.Get("/api/facilities/nowhere/outstanding");
        Assert.Equal((404, "FacilityNotFound"), (status, (string?)body!["code"]));
    }

    private async Task<string> Token(object request) => (string)(await _node.Post("/api/tokens", request)).Body!["token"]!;

    private async Task Assign(string team, string sector) =>
        Assert.Equal(201, (await _node.Post("/api/assignments", new { teamId = team, facilityId = "saydnaya", sectorId = sector })).Status);

    /// <summary>A field unit's report, sent with its own team's token.</summary>
    private async Task Report(string token, string team, string sector, string kind)
    {
        using var http = _node.Client(token);
        var response = await http.PostAsJsonAsync("/api/reports",
            new
            {
                reportId = $"r-{++_reports}",
                teamId = team,
                facilityId = "saydnaya",
                sectorId = sector,
                kind,
                method = kind == "Cleared" ? "Visual" : null
            },
            TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode,
            $"{kind} {sector}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}");
    }

    private async Task<(IPage Page, List<string> Csp)> SignedIn(IBrowser browser, string token)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
            Locale = "en-US"
        });
        var page = await context.NewPageAsync();
        var csp = await Chromium.CspViolations(page);
        await page.GotoAsync(_node.BaseAddress.ToString());
        await page.FillAsync("#token", token);
        await page.ClickAsync("#sign-in button");
        await Expect(page.Locator("#connection")).ToHaveTextAsync(En["common.connection.live"]);
        await Expect(page.Locator("#levels .cell[data-sector='B2-1']")).ToBeVisibleAsync();
        return (page, csp);
    }
}

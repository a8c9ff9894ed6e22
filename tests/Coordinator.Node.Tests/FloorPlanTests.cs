using Coordinator.Node.Tests.Support;
using Microsoft.Playwright;

namespace Coordinator.Node.Tests;

/// <summary>
/// The board in a real browser: a level with places drawn as a floor plan whose cells change as reports arrive,
/// one without as the grid; a team's shift clock across sectors; the printable report opened from the page.
/// </summary>
public class FloorPlanTests : IAsyncLifetime
{
    private NodeUnderTest _node = null!;

    // A shift limit of two seconds: the board's shift alerts show without waiting six hours.
    public async ValueTask InitializeAsync() => _node = await NodeUnderTest.StartAsync("--Coordinator:Teams:ShiftLimit=00:00:02");
    public async ValueTask DisposeAsync() => await _node.DisposeAsync();

    private static object Cell(string id, string parent, double x, double y) => new { id, parent, kind = "Cell", plan = new { x, y, w = 4, h = 3 } };

    private async Task Seed()
    {
        Assert.Equal(201, (await _node.Post("/api/facilities", new { id = "saydnaya", name = "Saydnaya" })).Status);
        var (status, body) = await _node.Put("/api/facilities/saydnaya/layout", new
        {
            sectors = new object[]
            {
                new { id = "B1", kind = "Level" }, new { id = "B1-A", parent = "B1", kind = "Wing", plan = new { x = 0, y = 0, w = 16, h = 7 } },
                Cell("B1-A-01", "B1-A", 0, 0), Cell("B1-A-02", "B1-A", 4, 0), Cell("B1-A-03", "B1-A", 8, 0), Cell("B1-A-04", "B1-A", 12, 0),
                new { id = "B1-A-VOID", parent = "B1-A", kind = "Cell" }, // no place: stays a grid cell below the plan
                new { id = "B2", kind = "Level" }, new { id = "B2-1", parent = "B2", kind = "Cell" },
                    new { id = "B2-2", parent = "B2", kind = "Cell" },
            },
        });
        Assert.True(status == 200, body?.ToJsonString());
        Assert.Equal(201, (await _node.Post("/api/teams",
            new { id = "SAR-1", callSign = "Sierra One", size = 6, capabilities = new[] { "Search" } })).Status);
    }

    [Fact]
    public async Task A_plan_that_is_not_four_numbers_or_has_no_size_is_refused_naming_its_sector_and_nothing_is_defined()
    {
        Assert.Equal(201, (await _node.Post("/api/facilities", new { id = "adra", name = "Adra" })).Status);
        var notNumbers = await _node.Put("/api/facilities/adra/layout",
            """{"sectors":[{"id":"L1","kind":"Level"},{"id":"L1-7","parent":"L1","kind":"Cell","plan":{"x":"left","y":0,"w":3,"h":3}}]}""");
        Assert.Equal((400, "InvalidField"), (notNumbers.Status, (string?)notNumbers.Body!["code"]));
        Assert.Contains("'L1-7'", (string)notNumbers.Body["detail"]!);
        var noSize = await _node.Put("/api/facilities/adra/layout", new
        {
            sectors = new object[] { new { id = "L1", kind = "Level" },
                new { id = "L1-8", parent = "L1", kind = "Cell", plan = new { x = 0, y = 0, w = 0, h = 3 } } },
        });
        Assert.Equal((400, "InvalidField"), (noSize.Status, (string?)noSize.Body!["code"]));
        Assert.Contains("'L1-8'", (string)noSize.Body["detail"]!);
        Assert.Equal(0, (int)(await _node.Get("/api/facilities/adra")).Body!["sectors"]!);
    }

    [Theory]
    [InlineData("en-US", "en")]
    [InlineData("ar-SY", "ar")]
    public async Task A_lead_sees_the_plan_change_live_the_shift_clock_and_opens_the_printed_report(string locale, string lang)
    {
        var text = Pages.Strings(lang);
        await Seed();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions
        {
            ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
            Locale = locale
        });
        var cspViolations = await Chromium.CspViolations(page);
        await page.GotoAsync(_node.BaseAddress.ToString());
        await page.FillAsync("#token", NodeUnderTest.BootstrapToken);
        await page.ClickAsync("#sign-in button[type=submit]");
        await Assertions.Expect(page.Locator("#connection")).ToHaveTextAsync(text["common.connection.live"]);

        // B1 has places: a plan; its sector without one is a grid cell below it. B2 has none: today's grid.
        var cell = page.Locator("svg.plan .plan-cell[data-sector='B1-A-02']");
        await Assertions.Expect(cell).ToHaveAttributeAsync("data-status", "Unsearched");
        await Assertions.Expect(page.Locator("svg.plan .plan-cell")).ToHaveCountAsync(5);
        await Assertions.Expect(page.Locator(".plan-level .cell[data-sector='B1-A-VOID']")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator(".cells .cell[data-sector='B2-1']")).ToBeVisibleAsync();
        Assert.Equal(1, await page.Locator("svg.plan").CountAsync());
        var area = cell.Locator("rect.area");
        var before = await area.EvaluateAsync<string>("e => getComputedStyle(e).fill");

        // A team goes to work: the cell turns in progress, in place, and shows the team on it.
        Assert.Equal(201, (await _node.Post("/api/assignments", new { teamId = "SAR-1", facilityId = "saydnaya", sectorId = "B1-A-02" })).Status);
        Assert.Equal(200, (await _node.Post("/api/reports",
            new { reportId = "r-1", teamId = "SAR-1", facilityId = "saydnaya", sectorId = "B1-A-02", kind = "Entered" })).Status);
        await Assertions.Expect(cell).ToHaveAttributeAsync("data-status", "InProgress");
        await Assertions.Expect(cell.Locator("text.team")).ToHaveTextAsync("SAR-1");
        Assert.NotEqual(before, await area.EvaluateAsync<string>("e => getComputedStyle(e).fill"));

        // A hazard is marked by a symbol and a hatch, not only by colour.
        Assert.Equal(200, (await _node.Post("/api/reports", new
        {
            reportId = "r-2",
            teamId = "SAR-1",
            facilityId = "saydnaya",
            sectorId = "B1-A-02",
            kind = "Hazard",
            hazard = "unstable ceiling"
        })).Status);
        await Assertions.Expect(cell).ToHaveAttributeAsync("data-status", "Hazard");
        await Assertions.Expect(cell.Locator("text.mark")).ToHaveTextAsync("⚠");
        await Assertions.Expect(cell.Locator("rect.hatch")).ToHaveCountAsync(1);
        await cell.ClickAsync(); // the same sector dialog as a grid cell
        await Assertions.Expect(page.Locator("#sector-title")).ToContainTextAsync("B1-A-02");
        await page.Keyboard.PressAsync("Escape");

        // The team left the cell, but its shift goes on: past the limit, then past it by half, and both alerts stand.
        var shift = page.Locator("#teams tr[data-team='SAR-1'] td[data-shift]");
        await Assertions.Expect(shift).ToHaveAttributeAsync("data-shift", "Overrun");
        await Assertions.Expect(shift).ToContainTextAsync(text["shift.overrun"]);
        await Assertions.Expect(page.Locator("#teams thead")).ToContainTextAsync(text["shift.col"]);
        await Assertions.Expect(page.Locator("#alerts li.ShiftOverrun")).ToContainTextAsync(text["alert.ShiftOverrun"]);
        await Assertions.Expect(page.Locator("#alerts li.ShiftLimit")).ToContainTextAsync(text["alert.ShiftLimit"]);
        if (lang == "ar") Assert.Empty(await Pages.EnglishOnScreen(page));
        await Pages.Screenshot(page, $"floor-plan-{lang}.png");

        // The printed report opens in a new tab, without the token, in the page's language, listing the cells.
        var report = await page.RunAndWaitForPopupAsync(() => page.ClickAsync("#report-link"));
        await Assertions.Expect(report.Locator("html")).ToHaveAttributeAsync("lang", lang);
        await Assertions.Expect(report.Locator("h1")).ToHaveTextAsync(text["report.title"].Replace("{facility}", "Saydnaya"));
        foreach (var id in new[] { "B1-A-01", "B1-A-02", "B1-A-VOID", "B2-2" }) await Assertions.Expect(report.Locator("body"))
            .ToContainTextAsync(id);
        await Assertions.Expect(report.Locator("body")).ToContainTextAsync(text["status.Hazard"]);
        // The link it came by was good once: opened again, it is refused.
        var again = await report.ReloadAsync();
        Assert.Equal(401, again!.Status);
        Assert.Empty(cspViolations);
    }
}

using Coordinator.Node.Tests.Support;
using Microsoft.Playwright;

namespace Coordinator.Node.Tests;

/// <summary>The pages in Arabic, in a real browser: right to left, no English left on the screen, and back to English in one click.</summary>
public class ArabicPagesTests : IAsyncLifetime
{
    private static readonly Dictionary<string, string> En = Pages.Strings("en");
    private static readonly Dictionary<string, string> Ar = Pages.Strings("ar");
    private NodeUnderTest _node = null!;

    public async ValueTask InitializeAsync() => _node = await NodeUnderTest.StartAsync();
    public async ValueTask DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task A_browser_that_prefers_Arabic_gets_the_dashboard_in_Arabic_and_can_switch_to_English()
    {
        await Facility();
        Assert.Equal(200, (await _node.Post("/api/reports",
            new { reportId = "r-2", teamId = "SAR-1", facilityId = "saydnaya", sectorId = "B2-1", kind = "PersonsFound", alive = 1 })).Status);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions
        {
            ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
            Locale = "ar-SY"
        });
        var cspViolations = await Support.Chromium.CspViolations(page);
        await page.GotoAsync(_node.BaseAddress.ToString());
        await page.FillAsync("#token", NodeUnderTest.BootstrapToken);
        await page.ClickAsync("#sign-in button[type=submit]");

        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("dir", "rtl");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "ar");
        await Assertions.Expect(page.Locator("#connection")).ToHaveTextAsync(Ar["common.connection.live"]);
        await Assertions.Expect(page.Locator("#teams tr[data-team='SAR-1']")).ToContainTextAsync(Ar["teamStatus.OnSite"]);
        await Assertions.Expect(page.Locator("#alerts li")).ToContainTextAsync(Ar["alert.PersonsFound"]);
        await Assertions.Expect(page.Locator("#report-link")).ToHaveTextAsync(Ar["board.reportLink"]); // opening it: FloorPlanTests
        await page.ClickAsync(".cell[data-sector='B2-1']");
        await Assertions.Expect(page.Locator("#sector-history")).ToContainTextAsync(Ar["event.PersonsFound"]);
        await Assertions.Expect(page.Locator("#sector-visits")).ToContainTextAsync(Ar["capability.Search"]);
        Assert.Empty(await Pages.EnglishOnScreen(page));
        await Pages.Screenshot(page, "dashboard-ar.png");

        await page.Keyboard.PressAsync("Escape");
        var toEnglish = page.Locator("header .language-switch");
        await Assertions.Expect(toEnglish).ToHaveTextAsync("English");
        await Assertions.Expect(toEnglish).ToHaveAttributeAsync("lang", "en");
        await toEnglish.ClickAsync();
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("dir", "ltr");
        await Assertions.Expect(page.Locator("#connection")).ToHaveTextAsync(En["common.connection.live"]);
        await Assertions.Expect(page.Locator("#teams tr[data-team='SAR-1']")).ToContainTextAsync(En["teamStatus.OnSite"]);
        await Assertions.Expect(page.Locator("#report-link")).ToHaveTextAsync(En["board.reportLink"]);
        await Assertions.Expect(toEnglish).ToHaveTextAsync("العربية");
        Assert.Empty(cspViolations);
    }

    [Fact]
    public async Task A_desk_officer_who_chose_Arabic_gets_the_family_desk_in_Arabic_and_can_switch_to_English()
    {
        await Facility();
        var (status, outcome) = await _node.Post("/api/reports", new
        {
            reportId = "r-2",
            teamId = "SAR-1",
            facilityId = "saydnaya",
            sectorId = "B2-1",
            kind = "PersonsFound",
            persons = new[] { new { name = "محمد أحمد الحلبي", fatherName = "أحمد", age = 38, homeTown = "حمص",
                condition = "ضعيف", takenTo = "مشفى المجتهد" } },
        });
        Assert.Equal(200, status);
        var personId = (string)outcome!["persons"]![0]!;
        Assert.Equal(201, (await _node.Post("/api/inquiries",
            new { id = "inq-1", name = "محمد أحمد الحلبي", fatherName = "أحمد", birthYear = 1987, homeTown = "حمص" })).Status);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions
        {
            ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
            Locale = "en-US"
        });
        var cspViolations = await Support.Chromium.CspViolations(page);
        await page.AddInitScriptAsync("localStorage.setItem('coordinator.lang', 'ar')"); // chosen before, on this browser
        await page.GotoAsync(new Uri(_node.BaseAddress, "/family.html").ToString());
        await page.FillAsync("#token", NodeUnderTest.BootstrapToken);
        await page.ClickAsync("#sign-in button[type=submit]");

        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("dir", "rtl");
        await Assertions.Expect(page.Locator("#connection")).ToHaveTextAsync(Ar["common.connection.live"]);
        await page.ClickAsync("#inquiries li[data-inquiry='inq-1']");
        var row = page.Locator($"#candidates tr[data-person='{personId}']");
        await Assertions.Expect(row).ToContainTextAsync(Ar["family.strong"], new() { Timeout = 20_000 });
        await Assertions.Expect(row.Locator("button.confirm")).ToHaveTextAsync(Ar["family.confirm"]);
        await page.FillAsync("#person-query", "محمد");
        await page.ClickAsync("#person-search button");
        await Assertions.Expect(page.Locator("#persons li")).ToHaveCountAsync(1);
        Assert.Empty(await Pages.EnglishOnScreen(page));
        await Pages.Screenshot(page, "family-desk-ar.png");

        await page.ClickAsync("header .language-switch");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("dir", "ltr");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
        await Assertions.Expect(row).ToContainTextAsync(En["family.strong"]);
        await Assertions.Expect(page.Locator("#inquiry-form button[type=submit]")).ToHaveTextAsync(En["family.submit"]);
        await Assertions.Expect(page.Locator("#person-query")).ToHaveAttributeAsync("placeholder", En["family.personQuery"]);
        Assert.Empty(cspViolations);
    }

    [Fact]
    public async Task The_printable_coverage_report_asked_for_in_Arabic_is_in_Arabic()
    {
        await Facility();
        Assert.Equal(200, (await _node.Post("/api/reports",
            new { reportId = "r-2", teamId = "SAR-1", facilityId = "saydnaya", sectorId = "B2-1", kind = "Cleared", method = "Visual" })).Status);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions
        {
            ExtraHTTPHeaders = new Dictionary<string, string> { ["Authorization"] = $"Bearer {NodeUnderTest.BootstrapToken}" },
        });
        var cspViolations = await Support.Chromium.CspViolations(page);
        // The view may trail the report by a moment: read again until the cell shows as cleared.
        var cleared = Ar["status.Cleared"];
        var deadline = DateTime.UtcNow.AddSeconds(20);
        do Assert.Equal(200, (await page.GotoAsync(new Uri(_node.BaseAddress, "/facilities/saydnaya/report?lang=ar").ToString()))!.Status);
        while (!(await page.Locator("tbody").InnerTextAsync()).Contains(cleared) && DateTime.UtcNow < deadline);

        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("dir", "rtl");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "ar");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync(Ar["report.title"].Replace("{facility}", "صيدنايا"));
        await Assertions.Expect(page.Locator("h2")).ToHaveTextAsync(Ar["report.level"].Replace("{level}", "B2"));
        await Assertions.Expect(page.Locator("th")).ToHaveTextAsync(
            [.. new[] { "sector", "status", "searchedBy", "method", "fromTo", "found", "notes", "marking" }.Select(c => Ar[$"report.col.{c}"])]);
        await Assertions.Expect(page.Locator("tbody")).ToContainTextAsync(cleared);
        await Assertions.Expect(page.Locator("tbody")).ToContainTextAsync(Ar["method.Visual"]);
        await Assertions.Expect(page.Locator("tbody")).ToContainTextAsync(Ar["report.notVisited"]);
        await Assertions.Expect(page.Locator("p").First).ToContainTextAsync(Ar["report.notSignedOff"]);
        Assert.Matches("[٠-٩]", await page.Locator("p").First.InnerTextAsync()); // counts and dates in Arabic-Indic digits
        Assert.Empty(await Pages.EnglishOnScreen(page));
        await Pages.Screenshot(page, "report-ar.png");
        Assert.Equal("collapse",
            await page.Locator("table").First.EvaluateAsync<string>("e => getComputedStyle(e).borderCollapse")); // report.css loaded
        Assert.Empty(cspViolations);
    }

    /// <summary>A facility named in Arabic with one level of three cells, and SAR-1 inside the first.</summary>
    private async Task Facility()
    {
        await _node.Post("/api/facilities", new { id = "saydnaya", name = "صيدنايا" });
        await _node.Put("/api/facilities/saydnaya/layout", new
        {
            sectors = new object[] { new { id = "B2", kind = "Level" } }.Concat(Enumerable.Range(1, 3)
                .Select(i => new { id = $"B2-{i}", parent = "B2", kind = "Cell" })).ToArray(),
        });
        await _node.Post("/api/teams", new { id = "SAR-1", callSign = "سييرا ١", size = 6, capabilities = new[] { "Search" } });
        Assert.Equal(201, (await _node.Post("/api/assignments", new { teamId = "SAR-1", facilityId = "saydnaya", sectorId = "B2-1" })).Status);
        Assert.Equal(200, (await _node.Post("/api/reports",
            new { reportId = "r-1", teamId = "SAR-1", facilityId = "saydnaya", sectorId = "B2-1", kind = "Entered" })).Status);
    }
}

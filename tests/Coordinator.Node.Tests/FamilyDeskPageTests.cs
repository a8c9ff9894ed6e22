using Coordinator.Node.Tests.Support;
using Microsoft.Playwright;

namespace Coordinator.Node.Tests;

/// <summary>The family desk's page in a real browser: an inquiry typed in Latin letters meets a person recorded in Arabic, and the desk
/// confirms.</summary>
public class FamilyDeskPageTests : IAsyncLifetime
{
    private NodeUnderTest _node = null!;

    public async ValueTask InitializeAsync() => _node = await NodeUnderTest.StartAsync();
    public async ValueTask DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task The_desk_registers_an_inquiry_sees_the_candidate_beside_it_and_confirms()
    {
        Assert.True(File.Exists(DashboardTests.Chromium), $"{DashboardTests.Chromium} is missing: apt-get install -y chromium (.ci/run does)");
        await _node.Post("/api/facilities", new { id = "saydnaya", name = "Saydnaya" });
        await _node.Put("/api/facilities/saydnaya/layout",
            new { sectors = new object[] { new { id = "B2", kind = "Level" }, new { id = "B2-7", parent = "B2", kind = "Cell" } } });
        await _node.Post("/api/teams", new { id = "SAR-1", callSign = "Sierra One", size = 6, capabilities = new[] { "Search" } });
        Assert.Equal(201, (await _node.Post("/api/assignments", new { teamId = "SAR-1", facilityId = "saydnaya", sectorId = "B2-7" })).Status);
        Assert.Equal(200, (await _node.Post("/api/reports",
            new { reportId = "r-1", teamId = "SAR-1", facilityId = "saydnaya", sectorId = "B2-7", kind = "Entered" })).Status);
        var (status, outcome) = await _node.Post("/api/reports", new
        {
            reportId = "r-2",
            teamId = "SAR-1",
            facilityId = "saydnaya",
            sectorId = "B2-7",
            kind = "PersonsFound",
            persons = new[] { new { name = "محمد أحمد الحلبي", age = 38, homeTown = "حمص", condition = "weak" } },
        });
        Assert.Equal(200, status);
        var personId = (string)outcome!["persons"]![0]!;
        var deskToken = (string)(await _node.Post("/api/tokens", new { role = "familydesk", expires = "1h" })).Body!["token"]!;

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = DashboardTests.Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"],
        });
        // The page follows the browser's languages: this one reads English whatever the machine's locale.
        var page = await browser.NewPageAsync(new BrowserNewPageOptions
        {
            ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
            Locale = "en-US"
        });
        var cspViolations = await Support.Chromium.CspViolations(page);
        await page.GotoAsync(new Uri(_node.BaseAddress, "/family.html").ToString());
        await page.FillAsync("#token", deskToken);
        await page.ClickAsync("#sign-in button");
        await Assertions.Expect(page.Locator("#connection")).ToHaveTextAsync("live");

        await page.FillAsync("#inquiry-form [name=name]", "Mohamed Ahmad Al-Halabi");
        await page.FillAsync("#inquiry-form [name=fatherName]", "Ahmad");
        await page.FillAsync("#inquiry-form [name=birthYear]", "1987");
        await page.FillAsync("#inquiry-form [name=homeTown]", "Homs");
        await page.FillAsync("#inquiry-form [name=contact]", "+90 555 0100");
        await page.ClickAsync("#inquiry-form button[type=submit]");

        // The view may trail the person's report by a moment: the page refreshes the inquiry when an alert comes.
        var row = page.Locator($"#candidates tr[data-person='{personId}']");
        await Assertions.Expect(row).ToContainTextAsync("strong", new() { Timeout = 20_000 });
        await Assertions.Expect(row).ToContainTextAsync("محمد أحمد الحلبي");
        await row.Locator("button.confirm").ClickAsync();
        await page.FillAsync("#confirm-dialog textarea[name=note]", "his brother recognised him");
        await page.ClickAsync("#confirm-dialog button[value=confirm]");
        await Assertions.Expect(row).ToContainTextAsync("Confirmed");

        var inquiryId = await page.Locator("#inquiries li.selected").GetAttributeAsync("data-inquiry");
        var inquiry = (await _node.Get($"/api/inquiries/{inquiryId}")).Body!;
        Assert.Equal(personId, (string)inquiry["decisions"]![0]!["personId"]!);
        Assert.Equal("his brother recognised him", (string)inquiry["decisions"]![0]!["note"]!);

        var artifacts = Path.Combine(AppContext.BaseDirectory, "artifacts");
        Directory.CreateDirectory(artifacts);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(artifacts, "family-desk.png"), FullPage = true });
        Assert.Empty(cspViolations);
    }
}

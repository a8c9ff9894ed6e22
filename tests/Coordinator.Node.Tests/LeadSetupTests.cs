using System.Text;
using Coordinator.Node.Tests.Support;
using Microsoft.Playwright;

namespace Coordinator.Node.Tests;

/// <summary>A lead sets up an operation from the board, in a real browser on a real node: facility, layout, teams, phones, tokens, alerts.</summary>
public class LeadSetupTests : IAsyncLifetime
{
    private static readonly Dictionary<string, string> En = Pages.Strings("en");
    private static readonly Dictionary<string, string> Ar = Pages.Strings("ar");
    private NodeUnderTest _node = null!;

    public async ValueTask InitializeAsync() => _node = await NodeUnderTest.StartAsync();
    public async ValueTask DisposeAsync() => await _node.DisposeAsync();

    private const string BadLayout = """
        id,parent,kind,name,needs
        B1,,Level,Basement 1,
        B1-1,B1,Cell,Cell 1,
        B1-2,B1,Cell,"Cell 2, east side",DoorOpening;Breaching
        B1-3,B9,Cell,Cell 3,
        """;

    /// <summary>A token, as soon as the freshly started node answers (a busy machine may first say Unavailable).</summary>
    private async Task<System.Text.Json.Nodes.JsonNode> Issue(string role)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var (status, body) = await _node.Post("/api/tokens", new { role, expires = "1h" });
            if (status == 201) return body!;
            Assert.True(status == 503 && DateTime.UtcNow < until, body?.ToJsonString());
        }
    }

    private static FilePayload Csv(string text) => new() { Name = "tadamon.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(text) };

    [Fact]
    public async Task A_lead_sets_up_a_facility_layout_teams_and_tokens_from_the_board_and_a_monitor_sees_no_setup()
    {
        var monitor = (string)(await Issue("monitor"))["token"]!;
        var spare = (string)(await Issue("lead"))["id"]!;

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions
        {
            ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
            Locale = "en-US"
        });
        var cspViolations = await Chromium.CspViolations(page);
        await page.GotoAsync(_node.BaseAddress.ToString());
        await page.FillAsync("#token", NodeUnderTest.BootstrapToken);
        await page.ClickAsync("#sign-in button[type=submit]");
        await Assertions.Expect(page.Locator("#connection")).ToHaveTextAsync(En["common.connection.live"]);
        await page.ClickAsync("#setup-open");
        var setup = page.Locator("#setup");
        await Assertions.Expect(setup.Locator("h2")).ToHaveTextAsync(En["setup.title"]);

        // A facility, then its layout: one row names a parent that does not exist.
        var facility = page.Locator("#setup-facility-form");
        await facility.Locator("[name=id]").FillAsync("tadamon");
        await facility.Locator("[name=name]").FillAsync("Tadamon branch");
        await facility.Locator("[name=aliases]").FillAsync("Branch 227, Al-Tadamon");
        await facility.Locator("button[type=submit]").ClickAsync();
        await Assertions.Expect(page.Locator("#setup-facility-out")).ToHaveTextAsync(En["setup.facility.registered"].Replace("{id}", "tadamon"));
        await Assertions.Expect(page.Locator("#setup-layout-facility")).ToHaveValueAsync("tadamon");

        await page.Locator("#setup-layout-file").SetInputFilesAsync(Csv(BadLayout));
        var refused = page.Locator("#setup-layout-preview tr[data-row='5']");
        await Assertions.Expect(refused).ToHaveAttributeAsync("data-code", "ParentSectorNotFound");
        await Assertions.Expect(refused).ToContainTextAsync(En["refusal.ParentSectorNotFound"]);
        await Assertions.Expect(page.Locator("#setup-layout-preview tr[data-row='4']"))
            .ToContainTextAsync("Cell 2, east side"); // a quoted comma stays in its field
        await Assertions.Expect(page.Locator("#setup-layout-preview tr[data-code]")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#setup-layout-apply")).ToBeDisabledAsync();
        Assert.Equal(0, (int)(await _node.Get("/api/facilities/tadamon")).Body!["sectors"]!); // nothing applied

        await page.Locator("#setup-layout-file").SetInputFilesAsync(Csv(BadLayout.Replace("B1-3,B9,", "B1-3,B1,")));
        await Assertions.Expect(page.Locator("#setup-layout-summary"))
            .ToContainTextAsync(En["setup.layout.ready"].Replace("{rows}", "4").Replace("{fresh}", "4"));
        await Assertions.Expect(page.Locator("#setup-layout-levels")).ToContainTextAsync("B1");
        await page.ClickAsync("#setup-layout-apply");
        await Assertions.Expect(page.Locator("#setup-layout-out")).ToHaveTextAsync(En["setup.layout.applied"].Replace("{sectors}", "4"));
        Assert.Equal(4, (int)(await _node.Get("/api/facilities/tadamon")).Body!["sectors"]!);

        // Two teams, one without DoorOpening; one rests and comes back.
        var team = page.Locator("#setup-team-form");
        foreach (var (id, callSign, caps) in new[] { ("SAR-1", "Sierra One", new[] { "Search", "DoorOpening" }),
            ("SAR-2", "Sierra Two", new[] { "Search" }) })
        {
            await team.Locator("[name=id]").FillAsync(id);
            await team.Locator("[name=callSign]").FillAsync(callSign);
            foreach (var c in caps) await team.Locator($"input[name=capability][value={c}]").CheckAsync();
            await team.Locator("button[type=submit]").ClickAsync();
            await Assertions.Expect(page.Locator($"#setup-teams-table tr[data-team='{id}']")).ToHaveAttributeAsync("data-status", "Available");
        }
        Assert.DoesNotContain("DoorOpening", (await _node.Get("/api/teams/SAR-2")).Body!["capabilities"]!.ToJsonString());
        var sar2 = page.Locator("#setup-teams-table tr[data-team='SAR-2']");
        foreach (var status in new[] { "Resting", "Available" })
        {
            await sar2.Locator("select.team-status").SelectOptionAsync(status);
            await sar2.Locator("button.set-status").ClickAsync();
            await Assertions.Expect(sar2).ToHaveAttributeAsync("data-status", status);
            Assert.Equal(status, (string)(await _node.Get("/api/teams/SAR-2")).Body!["status"]!);
        }

        // A phone enrolled from a team's row: a QR drawn as SVG, and the code beside it redeems.
        await page.Locator("#setup-teams-table tr[data-team='SAR-1'] button.enrol").ClickAsync();
        await Assertions.Expect(page.Locator("#setup-enrolment svg")).ToBeVisibleAsync();
        var code = await page.Locator("#setup-enrolment-code").InnerTextAsync();
        using var phone = _node.Client(null);
        var redeemed = await phone.PostAsync("/api/enrolments/redeem",
            new StringContent(NodeUnderTest.Json(new { code, phone = "phone-1" }), Encoding.UTF8, "application/json"),
                TestContext.Current.CancellationToken);
        Assert.Equal(System.Net.HttpStatusCode.OK, redeemed.StatusCode);

        // A token revoked from its row.
        var spareRow = page.Locator($"#setup-tokens-table tr[data-token='{spare}']");
        await spareRow.Locator("button.revoke").ClickAsync();
        await Assertions.Expect(spareRow).ToHaveAttributeAsync("data-revoked", "true");

        // The board shows the imported cells.
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(page.Locator(".cell[data-sector='B1-2']")).ToHaveAttributeAsync("data-status", "Unsearched");
        await Pages.Screenshot(page, "lead-setup.png");

        // Alerts filtered by kind: persons found and a hazard in B1-1, only the hazard shown once asked.
        Assert.Equal(201, (await _node.Post("/api/assignments", new { teamId = "SAR-1", facilityId = "tadamon", sectorId = "B1-1" })).Status);
        object[] reports =
        [
            new { reportId = "r-1", teamId = "SAR-1", facilityId = "tadamon", sectorId = "B1-1", kind = "Entered" },
            new { reportId = "r-2", teamId = "SAR-1", facilityId = "tadamon", sectorId = "B1-1", kind = "PersonsFound", alive = 1 },
            new { reportId = "r-3", teamId = "SAR-1", facilityId = "tadamon", sectorId = "B1-1", kind = "Hazard", hazard = "gas" },
        ];
        foreach (var report in reports) Assert.Equal(200, (await _node.Post("/api/reports", report)).Status);
        await Assertions.Expect(page.Locator("#alerts li")).ToHaveCountAsync(2);
        await page.Locator("#alert-kind").SelectOptionAsync("Hazard");
        await Assertions.Expect(page.Locator("#alerts li")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#alerts li")).ToContainTextAsync(En["alert.Hazard"]);
        await page.Locator("#alert-facility").SelectOptionAsync("tadamon");
        await Assertions.Expect(page.Locator("#alerts li.Hazard")).ToHaveCountAsync(1);

        // The hazard acknowledged: it leaves the open list here and in the API, and cannot be acknowledged twice.
        var hazard = (await _node.All("/api/alerts?open=true")).Single(a => (string)a!["kind"]! == "Hazard")!;
        await page.Locator("#alerts li.Hazard button.acknowledge").ClickAsync();
        await Assertions.Expect(page.Locator("#alerts li.Hazard")).ToHaveCountAsync(0);
        var until = DateTime.UtcNow.AddSeconds(20);
        while ((await _node.Read("/api/alerts?open=true")).Contains("\"Hazard\"") && DateTime.UtcNow < until) await Task.Delay(50,
            TestContext.Current.CancellationToken);
        Assert.DoesNotContain("\"Hazard\"", await _node.Read("/api/alerts?open=true"));
        var again = await _node.Post("/api/alerts/acknowledge", new { alert = (long)hazard["id"]! });
        Assert.Equal((409, "AlertAlreadyAcknowledged"), (again.Status, (string)again.Body!["code"]!));
        Assert.Equal(404, (await _node.Post("/api/alerts/acknowledge", new { alert = 999_999 })).Status);
        await page.Locator("#alert-kind").SelectOptionAsync("");
        await Assertions.Expect(page.Locator("#alerts li.PersonsFound")).ToHaveCountAsync(1);

        // In Arabic: the same controls, in Arabic words.
        await page.ClickAsync("header .language-switch");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("dir", "rtl");
        await page.ClickAsync("#setup-open");
        await Assertions.Expect(setup.Locator("h2")).ToHaveTextAsync(Ar["setup.title"]);
        await Assertions.Expect(page.Locator("#setup-facility h3")).ToHaveTextAsync(Ar["setup.facility.title"]);
        await Assertions.Expect(sar2.Locator("td.status")).ToHaveTextAsync(Ar["teamStatus.Available"]);
        await Assertions.Expect(page.Locator("#alert-kind option[value='']")).ToHaveTextAsync(Ar["alerts.filter.allKinds"]);
        await Assertions.Expect(page.Locator("#alerts li.PersonsFound button.acknowledge")).ToHaveTextAsync(Ar["alerts.acknowledge"]);
        await Assertions.Expect(sar2.Locator("button.enrol")).ToHaveTextAsync(Ar["setup.team.enrol"]);
        await Assertions.Expect(page.Locator("#setup-enrolment h4")).ToHaveTextAsync(Ar["setup.enrol.title"].Replace("{team}", "SAR-1"));
        await Assertions.Expect(page.Locator("#setup-layout-file")).ToBeVisibleAsync();
        await page.Locator("#setup-layout-file").SetInputFilesAsync(Csv("id,parent,kind,name,needs\nB1-4,B9,Cell,Cell 4,\n"));
        await Assertions.Expect(page.Locator("#setup-layout-preview tr[data-row='2']")).ToContainTextAsync(Ar["refusal.ParentSectorNotFound"]);
        Assert.Empty(await Pages.EnglishOnScreen(page));
        await Pages.Screenshot(page, "lead-setup-ar.png");

        // A monitor's board has no setup at all.
        var monitorPage = await browser.NewPageAsync(new BrowserNewPageOptions
        {
            ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
            Locale = "en-US"
        });
        var monitorViolations = await Chromium.CspViolations(monitorPage);
        await monitorPage.GotoAsync(_node.BaseAddress.ToString());
        await monitorPage.FillAsync("#token", monitor);
        await monitorPage.ClickAsync("#sign-in button[type=submit]");
        await Assertions.Expect(monitorPage.Locator(".cell[data-sector='B1-2']")).ToBeVisibleAsync();
        await Assertions.Expect(monitorPage.Locator("#setup-open")).ToHaveCountAsync(0);
        await Assertions.Expect(monitorPage.Locator("#setup")).ToHaveCountAsync(0);
        await Assertions.Expect(monitorPage.Locator("#alerts li.PersonsFound")).ToHaveCountAsync(1);
        await Assertions.Expect(monitorPage.Locator("#alerts button.acknowledge")).ToHaveCountAsync(0);
        Assert.Empty(cspViolations);
        Assert.Empty(monitorViolations);
    }
}

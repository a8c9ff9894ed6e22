using Coordinator.Node.Tests.Support;
using Microsoft.Playwright;

namespace Coordinator.Node.Tests;

/// <summary>
/// The field app on a phone in a real browser: enrolled with a code, reports made underground with no network,
/// the page reloaded while still offline, then delivered exactly once, in order, when the network comes back.
/// </summary>
public class FieldAppTests : IAsyncLifetime
{
    private NodeUnderTest _node = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    public async ValueTask InitializeAsync()
    {
        _node = await NodeUnderTest.StartAsync();
        Assert.Equal(201, (await _node.Post("/api/facilities", new { id = "saydnaya", name = "Saydnaya military prison" })).Status);
        Assert.Equal(200, (await _node.Put("/api/facilities/saydnaya/layout", new
        {
            sectors = new object[]
            {
                new { id = "B2", kind = "Level", name = "Basement 2" }, new { id = "B2-A", parent = "B2", kind = "Wing", name = "Wing A" },
                new { id = "B2-A-1", parent = "B2-A", kind = "Cell", name = "Cell 1", needs = new[] { "DoorOpening" } },
                new { id = "B2-A-2", parent = "B2-A", kind = "Cell", name = "Cell 2" },
                    new { id = "B2-A-3", parent = "B2-A", kind = "Cell", name = "Cell 3" },
            },
        })).Status);
        Assert.Equal(201, (await _node.Post("/api/teams",
            new { id = "DOOR-1", callSign = "Delta One", size = 3, capabilities = new[] { "DoorOpening", "Search" } })).Status);
        Assert.Equal(201, (await _node.Post("/api/teams",
            new { id = "SAR-2", callSign = "Sierra Two", size = 5, capabilities = new[] { "Search" } })).Status);
        _playwright = await Playwright.CreateAsync();
        _browser = await Chromium.LaunchAsync(_playwright);
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        await _node.DisposeAsync();
    }

    private async Task<string> EnrolmentCode(string team) => (string)(await _node.Post("/api/enrolments", new { team })).Body!["code"]!;

    private async Task Assign(string team, string sector) =>
        Assert.Equal(201, (await _node.Post("/api/assignments", new { teamId = team, facilityId = "saydnaya", sectorId = sector })).Status);

    private async Task<string[]> History(string sector) =>
        [.. (await _node.All($"/api/facilities/saydnaya/sectors/{sector}/history")).Select(h => (string)h!["event"]!)];

    /// <summary>The phone opens the app, types the code it was read, and waits until the app shell is kept for offline use.</summary>
    private static async Task Enrol(IPage phone, string code)
    {
        await phone.FillAsync("#enrol-code", code.ToLowerInvariant()); // typed as heard
        await phone.TapAsync("#enrol-form button[type=submit]");
        await Assertions.Expect(phone.Locator("#main")).ToBeVisibleAsync();
        await phone.WaitForFunctionAsync("() => navigator.serviceWorker.controller !== null");
    }

    private static async Task Report(IPage phone, string kind, Func<ILocator, Task>? fill = null)
    {
        await phone.TapAsync($"#actions button[data-kind='{kind}']");
        var dialog = phone.Locator("#report-dialog");
        await Assertions.Expect(dialog).ToBeVisibleAsync();
        if (fill is not null) await fill(dialog);
        await dialog.Locator("button[value=send]").TapAsync();
        await Assertions.Expect(dialog).ToBeHiddenAsync();
    }

    /// <summary>The whole flow in the phone's language: English, or Arabic (right to left, with no English left on the screen).</summary>
    [Theory]
    [InlineData("en", "en-GB")]
    [InlineData("ar", "ar-SY")]
    public async Task A_team_reports_underground_with_no_network_and_every_report_is_recorded_once_in_order(string lang, string locale)
    {
        var text = Pages.Strings(lang);
        async Task NoEnglishLeft(IPage page)
        {
            if (lang == "ar") Assert.Empty(await Pages.EnglishOnScreen(page));
        }
        await Assign("DOOR-1", "B2-A-2");
        await using var context = await _browser.NewContextAsync(Chromium.Phone(locale));
        var phone = await context.NewPageAsync();
        var cspViolations = await Support.Chromium.CspViolations(phone);
        await phone.GotoAsync(new Uri(_node.BaseAddress, "/field").ToString());
        await Assertions.Expect(phone.Locator("html")).ToHaveAttributeAsync("dir", lang == "ar" ? "rtl" : "ltr");
        await Enrol(phone, await EnrolmentCode("DOOR-1"));

        await Assertions.Expect(phone.Locator("#call-sign")).ToContainTextAsync("Delta One");
        await Assertions.Expect(phone.Locator("#assignment-body")).ToContainTextAsync("Cell 2");
        await Assertions.Expect(phone.Locator("#assignment-body")).ToContainTextAsync("Basement 2 › Wing A");
        var entered = phone.Locator("#actions button[data-kind='Entered']");
        Assert.True((await entered.BoundingBoxAsync())!.Height >= 48, "touch targets are at least 48 px");

        // Underground: no network. Three reports, the page reloaded between them, nothing lost.
        await context.SetOfflineAsync(true);
        await Assertions.Expect(phone.Locator("#network")).ToHaveTextAsync(text["field.net.offline"]);
        await Report(phone, "Entered");
        await Report(phone, "PersonsFound", async d =>
        {
            await d.Locator("input[name=alive]").FillAsync("1");
            await d.Locator("input[name=needsMedical]").CheckAsync();
            await d.GetByRole(AriaRole.Button, new() { Name = text["field.person.add"] }).TapAsync();
            await d.Locator("input[name=name-0]").FillAsync("محمد أحمد الحلبي");
            await d.Locator("input[name=age-0]").FillAsync("38");
            await d.Locator("input[name=town-0]").FillAsync("حمص");
        });
        await phone.ReloadAsync(); // still offline: the service worker serves the app, IndexedDB the queue
        await Assertions.Expect(phone.Locator("#waiting li")).ToHaveCountAsync(2);
        await Report(phone, "Cleared", d => d.GetByLabel(text["method.K9"]).CheckAsync());
        await Assertions.Expect(phone.Locator("#waiting li")).ToHaveCountAsync(3);
        Assert.Equal(["Entered", "PersonsFound", "Cleared"],
            await phone.Locator("#waiting li").EvaluateAllAsync<string[]>("l => l.map(e => e.dataset.kind)"));
        Assert.Equal(["SectorDefined", "TeamAssigned"], await History("B2-A-2")); // nothing reached the node yet
        await NoEnglishLeft(phone);
        await Pages.Screenshot(phone, $"field-app-offline-{lang}.png", fullPage: false);

        await context.SetOfflineAsync(false);
        await Assertions.Expect(phone.Locator("#waiting li")).ToHaveCountAsync(0);
        await Assertions.Expect(phone.Locator("#sent li")).ToHaveCountAsync(3);
        Assert.Equal(["SectorDefined", "TeamAssigned", "SectorEntered", "PersonsFound", "SectorCleared"], await History("B2-A-2"));
        await Assertions.Expect(phone.Locator("#marking-text")).ToContainTextAsync("DOOR-1 | K9 search");
        await NoEnglishLeft(phone);
        await Pages.Screenshot(phone, $"field-app-{lang}.png");

        // The lead recalls the team while it is underground: its "entered" is refused, shown with its reason, and kept.
        await Assign("DOOR-1", "B2-A-3");
        await phone.ReloadAsync();
        await Assertions.Expect(phone.Locator("#assignment-body")).ToContainTextAsync("Cell 3");
        await context.SetOfflineAsync(true);
        await Report(phone, "Entered");
        Assert.Equal(200, (await _node.Post("/api/teams/DOOR-1/recall")).Status);
        await context.SetOfflineAsync(false);
        var refused = phone.Locator("#refused li");
        await Assertions.Expect(refused).ToHaveCountAsync(1);
        await Assertions.Expect(refused).ToContainTextAsync(text["refusal.SectorNotAssignedToTeam"]);
        await NoEnglishLeft(phone);
        await phone.ReloadAsync();
        await Assertions.Expect(refused).ToHaveCountAsync(1); // kept until the team has read it
        await refused.GetByRole(AriaRole.Button).TapAsync();
        await Assertions.Expect(refused).ToHaveCountAsync(0);

        // The token is revoked while a report waits: nothing is lost, the phone is enrolled again, the queue drains.
        await Assign("DOOR-1", "B2-A-3");
        await phone.ReloadAsync();
        await Assertions.Expect(phone.Locator("#actions button[data-kind='Entered']")).ToBeVisibleAsync();
        await context.SetOfflineAsync(true);
        await Report(phone, "Entered");
        var tokens = (await _node.Get("/api/tokens")).Body!.AsArray();
        foreach (var t in tokens.Where(t => (string?)t!["team"] == "DOOR-1"))
            Assert.Equal(200, (await _node.Post($"/api/tokens/{(string)t!["id"]!}/revoke")).Status);
        var session = await phone.EvaluateAsync<string>("""
            () => new Promise(r => indexedDB.open("coordinator-field").onsuccess = e =>
              e.target.result.transaction("session").objectStore("session").get("session").onsuccess = g => r(g.target.result.token))
            """);
        using (var old = _node.Client(session))
        {
            var until = DateTime.UtcNow.AddSeconds(20); // every node refuses it once its view has read the revocation
            while ((int)(await old.GetAsync("/api/board", TestContext.Current.CancellationToken)).StatusCode != 401 && DateTime.UtcNow < until)
                await Task.Delay(50, TestContext.Current.CancellationToken);
        }
        await context.SetOfflineAsync(false);
        await Assertions.Expect(phone.Locator("#enrol")).ToBeVisibleAsync();
        await Assertions.Expect(phone.Locator("#enrol-waiting"))
            .ToHaveTextAsync(text["field.enrol.waiting"].Replace("{n}", lang == "ar" ? "١" : "1"));
        await NoEnglishLeft(phone);
        await Enrol(phone, await EnrolmentCode("DOOR-1"));
        await Assertions.Expect(phone.Locator("#waiting li")).ToHaveCountAsync(0);
        Assert.Equal(1, (await History("B2-A-3")).Count(e => e == "SectorEntered"));

        if (lang == "ar")
        {
            await phone.GetByRole(AriaRole.Button, new() { Name = "English" }).TapAsync();
            await Assertions.Expect(phone.Locator("html")).ToHaveAttributeAsync("dir", "ltr");
            await Assertions.Expect(phone.Locator("#queue-title")).ToHaveTextAsync(Pages.Strings("en")["field.queue.title"]);
        }
        Assert.Empty(cspViolations);
    }
}

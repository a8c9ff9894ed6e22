using Coordinator.Node.Tests.Support;
using Microsoft.Playwright;

namespace Coordinator.Node.Tests;

/// <summary>
/// The case on the desk's page in a real browser, in both languages: a strong candidate waits in the queue, the
/// officer confirms it, sees whom to call, takes the case, records that the family was told, and prints the slip
/// in Arabic and in English.
/// </summary>
public class FamilyCasePageTests : IAsyncLifetime
{
    private NodeUnderTest _node = null!;

    public async ValueTask InitializeAsync() => _node = await NodeUnderTest.StartAsync("--Coordinator:Api:DeskContact=+963 11 000 0000");
    public async ValueTask DisposeAsync() => await _node.DisposeAsync();

    [Theory]
    [InlineData("en-US", "en")]
    [InlineData("ar-SY", "ar")]
    public async Task An_officer_confirms_sees_the_contact_records_the_family_informed_and_prints_the_slip(string locale, string lang)
    {
        var text = Pages.Strings(lang);
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
            persons = new[] { new { name = "محمد أحمد الحلبي", age = 38, homeTown = "حمص",
                condition = "weak", takenTo = "Al-Mujtahid hospital" } },
        });
        Assert.Equal(200, status);
        var personId = (string)outcome!["persons"]![0]!;
        var deskToken = (string)(await _node.Post("/api/tokens", new { role = "familydesk", expires = "1h" })).Body!["token"]!;
        using var desk = _node.Client(deskToken);
        var registered = await desk.PostAsync("/api/inquiries", new StringContent(NodeUnderTest.Json(new
        {
            id = "inq-1",
            name = "Mohamed Ahmad Al-Halabi",
            fatherName = "Ahmad",
            birthYear = 1987,
            homeTown = "Homs",
            contact = "+90 555 0100",
        }), System.Text.Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        Assert.Equal(201, (int)registered.StatusCode);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Chromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions
        {
            ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
            Locale = locale
        });
        var cspViolations = await Chromium.CspViolations(page);
        await page.GotoAsync(new Uri(_node.BaseAddress, "/family.html").ToString());
        await page.FillAsync("#token", deskToken);
        await page.ClickAsync("#sign-in button");
        await Assertions.Expect(page.Locator("#connection")).ToHaveTextAsync(text["common.connection.live"]);

        // The strong candidate is in the queue after a reload: it does not depend on the page having been open.
        var queued = page.Locator("#queue-strong li[data-inquiry='inq-1']");
        for (var deadline = DateTime.UtcNow.AddSeconds(20); await queued.CountAsync() == 0; await page.ReloadAsync())
            Assert.True(DateTime.UtcNow < deadline, "the strong candidate never reached the queue");
        await queued.ClickAsync();
        var row = page.Locator($"#candidates tr[data-person='{personId}']");
        // Cancel in the note's dialog changes nothing: no decision, and the family's contact stays hidden.
        var dialog = page.Locator("#confirm-dialog");
        await row.Locator("button.confirm").ClickAsync();
        await Assertions.Expect(dialog).ToBeVisibleAsync();
        await Assertions.Expect(dialog.Locator("h2")).ToHaveTextAsync(text["family.confirmTitle"]);
        await dialog.Locator("textarea[name=note]").FillAsync("not sure yet");
        await dialog.Locator("button[value=cancel]").ClickAsync();
        await Assertions.Expect(dialog).ToBeHiddenAsync();
        await Assertions.Expect(row.Locator("button.confirm")).ToBeVisibleAsync();
        Assert.Empty((await _node.Get("/api/inquiries/inq-1")).Body!["decisions"]!.AsArray());
        await Assertions.Expect(page.Locator("#contact")).Not.ToHaveTextAsync("+90 555 0100");

        await row.Locator("button.confirm").ClickAsync();
        await dialog.Locator("textarea[name=note]").FillAsync("his brother recognised him");
        await dialog.Locator("button[value=confirm]").ClickAsync();
        await Assertions.Expect(row).ToContainTextAsync(text["decision.Confirmed"]);
        Assert.Equal("his brother recognised him", (string)(await _node.Get("/api/inquiries/inq-1")).Body!["decisions"]![0]!["note"]!);

        // Whom to call, now that the match is confirmed; the case moves to "families to inform".
        await Assertions.Expect(page.Locator("#contact")).ToHaveTextAsync("+90 555 0100");
        await Assertions.Expect(page.Locator("#queue-inform li[data-inquiry='inq-1']")).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await page.ClickAsync("#claim");
        await Assertions.Expect(page.Locator("#case-claim")).ToContainTextAsync("familydesk:");
        await page.SelectOptionAsync("#informed-form [name=how]", "Phone");
        await page.FillAsync("#informed-form [name=notes]", "spoke to his brother");
        await page.ClickAsync("#informed-form button[type=submit]");
        await Assertions.Expect(page.Locator("#case-stage")).ToContainTextAsync(text["case.stage.FamilyInformed"]);
        await Assertions.Expect(page.Locator("#case-stage")).ToContainTextAsync(text["informedHow.Phone"]);
        if (lang == "ar") Assert.Empty(await Pages.EnglishOnScreen(page));
        await Pages.Screenshot(page, $"family-case-{lang}.png");

        // The slip for the family, in either language whatever the page's: where he was taken, and the desk's number.
        foreach (var (button, slipLang) in new[] { ("#slip-ar", "ar"), ("#slip-en", "en") })
        {
            var slip = await page.RunAndWaitForPopupAsync(() => page.ClickAsync(button));
            var slipText = Pages.Strings(slipLang);
            await Assertions.Expect(slip.Locator("html")).ToHaveAttributeAsync("lang", slipLang);
            await Assertions.Expect(slip.Locator("html")).ToHaveAttributeAsync("dir", slipLang == "ar" ? "rtl" : "ltr");
            await Assertions.Expect(slip.Locator("h1")).ToHaveTextAsync(slipText["slip.title"]);
            await Assertions.Expect(slip.Locator("body")).ToContainTextAsync("Al-Mujtahid hospital");
            await Assertions.Expect(slip.Locator("body")).ToContainTextAsync("+963 11 000 0000");
            await Assertions.Expect(slip.Locator("body")).ToContainTextAsync("محمد أحمد الحلبي");
            await Pages.Screenshot(slip, $"family-slip-{lang}-page-{slipLang}.png");
            await slip.CloseAsync();
        }
        Assert.Empty(cspViolations);
    }
}

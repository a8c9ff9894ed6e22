using Coordinator.Node.Tests.Support;
using Microsoft.Playwright;

namespace Coordinator.Node.Tests;

/// <summary>
/// The dashboard in a real browser (Debian's chromium, driven by Playwright): it changes as reports arrive, without a
/// reload, and after the node restarts it opens the stream again with a fresh ticket.
/// </summary>
public class DashboardTests : IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium";
    private NodeUnderTest _node = null!;

    public async ValueTask InitializeAsync() => _node = await NodeUnderTest.StartAsync();
    public async ValueTask DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task Every_page_loads_without_a_failed_request_its_icon_included()
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Support.Chromium.LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        var failed = new List<string>();
        page.Response += (_, r) => { if (r.Status >= 400) failed.Add($"{r.Status} {r.Url}"); };
        page.RequestFailed += (_, r) => failed.Add($"failed {r.Url}");
        foreach (var path in new[] { "/", "/family.html", "/field/" })
        {
            await page.GotoAsync(new Uri(_node.BaseAddress, path).ToString());
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        }
        Assert.Empty(failed);
        using var icon = await _node.Http.GetAsync("/favicon.ico", TestContext.Current.CancellationToken); // what a printed page's tab asks for
        Assert.Equal((200, "image/x-icon"), ((int)icon.StatusCode, icon.Content.Headers.ContentType?.MediaType));
    }

    [Fact]
    public async Task A_monitor_sees_a_cell_change_colour_when_a_field_report_arrives()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: apt-get install -y chromium (.ci/run does)");
        await _node.Post("/api/facilities", new { id = "saydnaya", name = "Saydnaya", aliases = new[] { "Sednaya" } });
        await _node.Put("/api/facilities/saydnaya/layout", new
        {
            sectors = new object[] { new { id = "B2", kind = "Level" } }.Concat(Enumerable.Range(1, 12)
                .Select(i => new { id = $"B2-{i}", parent = "B2", kind = "Cell" })).ToArray(),
        });
        await _node.Post("/api/teams", new { id = "SAR-1", callSign = "Sierra One", size = 6, capabilities = new[] { "Search" } });

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
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
        var streams = new List<string>();
        page.Request += (_, r) => { if (r.Url.Contains("/api/stream?")) streams.Add(r.Url); };
        await page.GotoAsync(_node.BaseAddress.ToString());
        await page.FillAsync("#token", NodeUnderTest.BootstrapToken); // a monitor signs in with a token
        await page.ClickAsync("#sign-in button");
        var navigations = 0;
        page.FrameNavigated += (_, frame) => { if (frame == page.MainFrame) navigations++; };

        var cell = page.Locator(".cell[data-sector='B2-7']");
        await Assertions.Expect(page.Locator("#connection")).ToHaveTextAsync("live");
        await Assertions.Expect(cell).ToHaveAttributeAsync("data-status", "Unsearched");
        var before = await cell.EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor");

        Assert.Equal(201, (await _node.Post("/api/assignments", new { teamId = "SAR-1", facilityId = "saydnaya", sectorId = "B2-7" })).Status);
        Assert.Equal(200, (await _node.Post("/api/reports",
            new { reportId = "r-1", teamId = "SAR-1", facilityId = "saydnaya", sectorId = "B2-7", kind = "Entered" })).Status);

        await Assertions.Expect(cell).ToHaveAttributeAsync("data-status", "InProgress");
        var after = await cell.EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor");
        Assert.NotEqual(before, after);
        await Assertions.Expect(page.Locator("#teams tr[data-team='SAR-1']")).ToContainTextAsync("OnSite");
        Assert.Equal(0, navigations); // it changed in place: the page was never reloaded after signing in

        // The node goes away and comes back: the page opens the stream again with a fresh ticket and misses nothing.
        await _node.StopAsync();
        await Assertions.Expect(page.Locator("#connection")).Not.ToHaveTextAsync("live");
        await _node.StartAgainAsync();
        Assert.Equal(200, (await _node.Post("/api/reports",
            new { reportId = "r-2", teamId = "SAR-1", facilityId = "saydnaya", sectorId = "B2-7", kind = "Cleared", method = "Visual" })).Status);
        await Assertions.Expect(cell).ToHaveAttributeAsync("data-status", "Cleared", new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("#connection")).ToHaveTextAsync("live");
        Assert.True(streams.Count >= 2, string.Join("\n", streams));
        Assert.All(streams, url =>
        {
            Assert.Contains("ticket=", url);
            Assert.DoesNotContain("access_token", url);
            Assert.DoesNotContain(Uri.EscapeDataString(NodeUnderTest.BootstrapToken), url);
        });
        Assert.Equal(streams.Count, streams.Distinct().Count()); // every connection spent its own ticket

        var artifacts = Path.Combine(AppContext.BaseDirectory, "artifacts");
        Directory.CreateDirectory(artifacts);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(artifacts, "dashboard.png"), FullPage = true });
        TestContext.Current.AddAttachment("dashboard.png",
            await File.ReadAllBytesAsync(Path.Combine(artifacts, "dashboard.png"), TestContext.Current.CancellationToken), "image/png");
        Assert.Empty(cspViolations);
    }
}

using Coordinator.Cluster.Hosting;
using Coordinator.Node.Demo;
using Coordinator.Node.Tests.Support;
using Microsoft.Playwright;

namespace Coordinator.Node.Tests;

/// <summary>--demo keeps its simulated records in its own database, which a real node never opens, and every page says "simulated".</summary>
public class DemoApartTests
{
    [Fact]
    public async Task A_plain_node_on_the_demos_folder_starts_empty_and_the_demos_pages_say_simulated_in_both_languages()
    {
        string folder;
        await using (var demo = await NodeUnderTest.StartAsync("--demo"))
        {
            folder = demo.DataFolder;
            for (var deadline = DateTime.UtcNow.AddSeconds(30); (await demo.Get("/api/board")).Body!["facilities"]!.AsArray().Count == 0;)
            {
                Assert.True(DateTime.UtcNow < deadline, "the demo seeded nothing in 30 s");
                await Task.Delay(100, TestContext.Current.CancellationToken);
            }
            Assert.True(File.Exists(Path.Combine(folder, DemoData.Folder, "coordinator.db")));
            Assert.False(File.Exists(Path.Combine(folder, "coordinator.db")));
            Assert.Equal(true, (bool?)(await demo.Get("/api/operation")).Body!["simulated"]);

            using var playwright = await Playwright.CreateAsync();
            await using var browser = await Chromium.LaunchAsync(playwright);
            foreach (var (locale, lang) in new[] { ("en-US", "en"), ("ar-SY", "ar") })
            {
                var banner = Pages.Strings(lang)["demo.banner"];
                var page = await browser.NewPageAsync(new BrowserNewPageOptions
                {
                    ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
                    Locale = locale
                });
                var cspViolations = await Chromium.CspViolations(page);
                foreach (var path in new[] { "/", "/family.html", "/field/" })
                {
                    await page.GotoAsync(new Uri(demo.BaseAddress, path).ToString());
                    await Assertions.Expect(page.Locator("#simulated")).ToHaveTextAsync(banner);
                }
                // Signed in, the demo's board draws its levels as floor plans, still under the banner.
                await page.GotoAsync(demo.BaseAddress.ToString());
                await page.FillAsync("#token", NodeUnderTest.BootstrapToken);
                await page.ClickAsync("#sign-in button[type=submit]");
                await Assertions.Expect(page.Locator("svg.plan").First).ToBeVisibleAsync();
                await Assertions.Expect(page.Locator("#simulated")).ToHaveTextAsync(banner);
                await Pages.Screenshot(page, $"demo-board-{lang}.png");
                Assert.Empty(cspViolations);
            }
        }

        // The same settings without --demo: the operation's own database, empty.
        await using var plain = await NodeUnderTest.StartAsync(
            $"--Coordinator:Persistence:ConnectionString=Data Source={Path.Combine(folder, "coordinator.db")}");
        var board = (await plain.Get("/api/board")).Body!;
        Assert.Empty(board["facilities"]!.AsArray());
        Assert.Empty(board["teams"]!.AsArray());
        Assert.Equal(false, (bool?)(await plain.Get("/api/operation")).Body!["simulated"]);
    }

    [Fact]
    public void A_real_node_refuses_the_demos_database_and_a_demo_refuses_an_unmarked_one_or_PostgreSQL()
    {
        var folder = Directory.CreateTempSubdirectory("coord-demo-").FullName;
        var real = new PersistenceSettings { ConnectionString = $"Data Source={Path.Combine(folder, "coordinator.db")}" };
        var demo = DemoData.Apart(real, demo: true);
        var demoFile = Path.Combine(folder, DemoData.Folder, "coordinator.db");
        Assert.Contains(demoFile, demo.ConnectionString);
        Assert.Equal(real, DemoData.Apart(real, demo: false)); // a real node keeps its own

        var pointedAtDemo = new PersistenceSettings { ConnectionString = $"Data Source={demoFile}" };
        Assert.Contains("simulated", Assert.Throws<InvalidOperationException>(() => DemoData.Apart(pointedAtDemo, demo: false)).Message);

        // A database in the demo's place that the demo did not mark may be real: the demo will not write into it.
        File.Delete(demoFile + DemoData.MarkerSuffix);
        File.WriteAllText(demoFile, "");
        Assert.Contains("not marked", Assert.Throws<InvalidOperationException>(() => DemoData.Apart(real, demo: true)).Message);
        Assert.Contains("PostgreSQL", Assert.Throws<InvalidOperationException>(() =>
            DemoData.Apart(new PersistenceSettings { Provider = PersistenceProvider.Postgres, ConnectionString = "Host=db" }, demo: true)).Message);
    }
}

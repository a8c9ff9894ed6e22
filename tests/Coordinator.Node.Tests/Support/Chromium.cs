using Microsoft.Playwright;

namespace Coordinator.Node.Tests.Support;

/// <summary>Debian's chromium driven by Playwright (no browser download works here), and the phone a field unit carries.</summary>
public static class Chromium
{
    public const string Path = "/usr/bin/chromium";

    public static async Task<IBrowser> LaunchAsync(IPlaywright playwright)
    {
        Assert.True(File.Exists(Path), $"{Path} is missing: apt-get install -y chromium (.ci/run does)");
        return await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Path,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>A mid-range phone held upright, touch only, in the given language.</summary>
    public static BrowserNewContextOptions Phone(string locale) => new()
    {
        ViewportSize = new ViewportSize { Width = 390, Height = 844 },
        DeviceScaleFactor = 2,
        IsMobile = true,
        HasTouch = true,
        Locale = locale,
        ServiceWorkers = ServiceWorkerPolicy.Allow,
    };

    /// <summary>
    /// What the page's Content-Security-Policy refused, as it happens: the browser's own console error and the page's
    /// securitypolicyviolation event. A refused script or style breaks a page, so a browser test asserts this stays empty.
    /// </summary>
    public static async Task<List<string>> CspViolations(IPage page)
    {
        var seen = new List<string>();
        page.Console += (_, m) =>
        {
            if (m.Text.Contains("Content Security Policy") || m.Text.StartsWith("CSP violation"))
                lock (seen) seen.Add(m.Text);
        };
        await page.AddInitScriptAsync("""
            document.addEventListener("securitypolicyviolation", (e) =>
                console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
            """);
        return seen;
    }
}

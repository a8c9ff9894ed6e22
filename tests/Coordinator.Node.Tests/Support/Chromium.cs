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
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
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
}

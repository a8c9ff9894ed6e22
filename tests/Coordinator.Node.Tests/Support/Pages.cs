using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Coordinator.Node.Tests.Support;

/// <summary>The pages' source files (src/Coordinator.Node/wwwroot), read by tests that check what the pages ship.</summary>
public static class Pages
{
    /// <summary>The folder with Coordinator.sln, above the test's binaries.</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !System.IO.File.Exists(Path.Combine(dir.FullName, "Coordinator.sln"))) dir = dir.Parent;
        return dir!.FullName;
    }

    public static string File(string relative) => Path.Combine(RepositoryRoot, "src", "Coordinator.Node", "wwwroot", relative);

    /// <summary>i18n/{lang}.json: key to string.</summary>
    public static Dictionary<string, string> Strings(string lang) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(System.IO.File.ReadAllText(File($"i18n/{lang}.json")))!;

    /// <summary>Every file of the pages whose name ends so (".html", ".js"), in every folder.</summary>
    public static IEnumerable<(string Name, string Text)> Ending(string extension) =>
        Directory.EnumerateFiles(File(""), "*" + extension, SearchOption.AllDirectories)
            .Select(f => (Path.GetRelativePath(File(""), f), System.IO.File.ReadAllText(f)));

    /// <summary>
    /// The English strings (those the Arabic file words differently) still on the screen. What people wrote (names, ids,
    /// notes) is data, shown as written in bdi and dir="auto" elements or isolated inside a sentence (U+2068…U+2069): left out.
    /// </summary>
    public static async Task<string[]> EnglishOnScreen(IPage page)
    {
        var (en, ar) = (Strings("en"), Strings("ar"));
        var text = await page.EvaluateAsync<string>("""
            () => [...document.querySelectorAll("bdi, [dir=auto]")].map((e) => e.innerText).filter(Boolean)
                .reduce((all, data) => all.split(data).join(" "), document.body.innerText)
                .replace(/\u2068[^\u2069]*\u2069/g, " ")
            """);
        return [.. en.Where(s => s.Value != ar[s.Key])
            .SelectMany(s => Regex.Split(s.Value, @"\{\w+\}").Select(part => (s.Key, Part: part.Trim(" ·:,.()%~—–-…".ToCharArray()))))
            .Where(s => s.Part.Count(char.IsAsciiLetter) >= 3 && Regex.IsMatch(text, $@"(?<![A-Za-z]){Regex.Escape(s.Part)}(?![A-Za-z])"))
            .Select(s => $"{s.Key}: \"{s.Part}\"")
            .Concat(en.Keys.Where(text.Contains).Select(k => $"{k}: shown as its key"))
            .Distinct()];
    }

    /// <summary>A screenshot among the tests' artifacts (bin/…/artifacts): docs/ takes its pictures from there.</summary>
    public static async Task Screenshot(IPage page, string name, bool fullPage = true)
    {
        var artifacts = Path.Combine(AppContext.BaseDirectory, "artifacts");
        Directory.CreateDirectory(artifacts);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(artifacts, name), FullPage = fullPage });
    }
}

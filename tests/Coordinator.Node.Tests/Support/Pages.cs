using System.Text.Json;

namespace Coordinator.Node.Tests.Support;

/// <summary>The pages' source files (src/Coordinator.Node/wwwroot), read by tests that check what the pages ship.</summary>
public static class Pages
{
    public static string File(string relative)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !System.IO.File.Exists(Path.Combine(dir.FullName, "Coordinator.sln"))) dir = dir.Parent;
        return Path.Combine(dir!.FullName, "src", "Coordinator.Node", "wwwroot", relative);
    }

    /// <summary>i18n/{lang}.json: key to string.</summary>
    public static Dictionary<string, string> Strings(string lang) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(System.IO.File.ReadAllText(File($"i18n/{lang}.json")))!;

    /// <summary>Every file of the pages whose name ends so (".html", ".js"), in every folder.</summary>
    public static IEnumerable<(string Name, string Text)> Ending(string extension) =>
        Directory.EnumerateFiles(File(""), "*" + extension, SearchOption.AllDirectories).Select(f => (Path.GetRelativePath(File(""), f), System.IO.File.ReadAllText(f)));
}

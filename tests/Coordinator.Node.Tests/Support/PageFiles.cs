using System.Text.Json;

namespace Coordinator.Node.Tests.Support;

/// <summary>The pages as the node ships them: wwwroot, embedded in Coordinator.Node.</summary>
public static class PageFiles
{
    private const string Prefix = "Coordinator.Node.wwwroot.";

    /// <summary>wwwroot/i18n/{lang}.json: key to string.</summary>
    public static Dictionary<string, string> Strings(string lang) => JsonSerializer.Deserialize<Dictionary<string, string>>(Read($"{Prefix}i18n.{lang}.json"))!;

    /// <summary>Every embedded file whose name ends so (".html", ".js"), by resource name.</summary>
    public static IEnumerable<(string Name, string Text)> Ending(string extension) =>
        typeof(NodeApp).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal) && n.EndsWith(extension, StringComparison.Ordinal))
            .Select(n => (n[Prefix.Length..], Read(n)));

    private static string Read(string resource)
    {
        using var stream = typeof(NodeApp).Assembly.GetManifestResourceStream(resource) ?? throw new FileNotFoundException(resource);
        return new StreamReader(stream).ReadToEnd();
    }
}

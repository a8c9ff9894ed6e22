using System.Text.Json.Nodes;

namespace Coordinator.Cli;

/// <summary>
/// Field reports that could not be delivered, in the order they were made, one JSON line each with its report id.
/// Resending keeps the ids, so the server applies each exactly once however often a flush is tried.
/// </summary>
public sealed class Outbox(string path)
{
    public string Path { get; } = path;

    public static string DefaultPath =>
        Environment.GetEnvironmentVariable("COORD_OUTBOX") is { Length: > 0 } p
            ? p
            : System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".coord", "outbox.jsonl");

    public IReadOnlyList<JsonObject> Pending() =>
        File.Exists(Path)
            ? File.ReadAllLines(Path).Where(l => l.Trim().Length > 0).Select(l => JsonNode.Parse(l)!.AsObject()).ToList()
            : [];

    public void Add(JsonObject report) => Save([.. Pending(), report]);

    /// <summary>Writes the whole outbox to a temp file and moves it in place, so a crash never leaves half a file.</summary>
    public void Save(IReadOnlyList<JsonObject> reports)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!);
        var temp = Path + ".tmp";
        File.WriteAllLines(temp, reports.Select(r => r.ToJsonString()));
        File.Move(temp, Path, overwrite: true);
    }
}

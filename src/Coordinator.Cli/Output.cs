using System.Text.Json;
using System.Text.Json.Nodes;

namespace Coordinator.Cli;

/// <summary>Readable tables by default, the server's JSON with --json; problems always to standard error.</summary>
public sealed class Output(TextWriter stdout, TextWriter stderr, bool json)
{
    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public TextWriter Out { get; } = stdout;
    public bool Json { get; } = json;

    /// <summary>Prints an answer and returns the exit code it means.</summary>
    public int Show(Answer answer, Action<JsonNode> table)
    {
        if (!answer.Ok) return Problem(answer);
        if (Json) Out.WriteLine(answer.Body?.ToJsonString(Indented) ?? "");
        else if (answer.Body is not null) table(answer.Body);
        return ExitCode.Ok;
    }

    /// <summary>Prints an answer read as the contract's <typeparamref name="T"/>; with --json, the server's JSON as it came.</summary>
    public int Show<T>(Answer answer, Action<T> table) => Show(answer, _ => table(answer.As<T>()));

    public int Problem(Answer answer)
    {
        stderr.WriteLine(answer.Problem?.Code is null ? $"error: {Describe(answer)}" : Describe(answer));
        return answer.Status == 0 ? ExitCode.Unavailable : ExitCode.FromStatus(answer.Status);
    }

    /// <summary>What went wrong, in one line: the problem's code and detail, or why there was no answer.</summary>
    public static string Describe(Answer answer) => answer.Status == 0
        ? answer.Failure ?? "no answer"
        : answer.Problem is { Code: { } code } problem ? $"{code} ({answer.Status}): {problem.Detail}" : $"the server answered {answer.Status}";

    public void Error(string message) => stderr.WriteLine(message);

    /// <summary>One line a field, its name as the node's JSON names it and its value as <see cref="Text"/> shows it.</summary>
    public void Fields(params (string Name, object? Value)[] fields)
    {
        var width = fields.Max(f => f.Name.Length);
        foreach (var (name, value) in fields) Out.WriteLine($"{name.PadRight(width)}  {Text(value)}");
    }

    public void Table<TRow>(IEnumerable<TRow?> rows, params (string Header, Func<TRow, string> Cell)[] columns)
    {
        var cells = rows.Where(r => r is not null).Select(r => columns.Select(c => c.Cell(r!)).ToArray()).ToList();
        var widths = columns.Select((c, i) => Math.Max(c.Header.Length, cells.Count == 0 ? 0 : cells.Max(r => r[i].Length))).ToArray();
        Out.WriteLine(string.Join("  ", columns.Select((c, i) => c.Header.PadRight(widths[i]))).TrimEnd());
        foreach (var r in cells) Out.WriteLine(string.Join("  ", r.Select((v, i) => v.PadRight(widths[i]))).TrimEnd());
    }

    /// <summary>A value as it reads in the node's JSON: "-" for none, a list joined, an address as facility/sector,
    /// a time as the node wrote it.</summary>
    public static string Text<T>(T value) => Shown(JsonSerializer.SerializeToNode(value, ApiJson.Options));

    private static string Shown(JsonNode? n) => n switch
    {
        null => "-",
        JsonArray a => string.Join(", ", a.Select(Shown)),
        JsonObject o when o["facilityId"] is not null && o["sectorId"] is not null => $"{o["facilityId"]}/{o["sectorId"]}",
        JsonObject o => o.ToJsonString(),
        _ => n.ToString(),
    };
}

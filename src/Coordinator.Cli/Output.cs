using System.Text.Json;
using System.Text.Json.Nodes;

namespace Coordinator.Cli;

/// <summary>Readable tables by default, the server's JSON with --json; problems always to standard error.</summary>
public sealed class Output(TextWriter stdout, TextWriter stderr, bool json)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

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
        stderr.WriteLine(CodeOf(answer) is null ? $"error: {Describe(answer)}" : Describe(answer));
        return answer.Status == 0 ? ExitCode.Unavailable : ExitCode.FromStatus(answer.Status);
    }

    /// <summary>What went wrong, in one line: the problem's code and detail, or why there was no answer.</summary>
    public static string Describe(Answer answer) => answer.Status == 0
        ? answer.Failure ?? "no answer"
        : CodeOf(answer) is { } code ? $"{code} ({answer.Status}): {(string?)answer.Body!["detail"]}" : $"the server answered {answer.Status}";

    private static string? CodeOf(Answer answer) => answer.Body is JsonObject p ? (string?)p["code"] : null;

    public void Error(string message) => stderr.WriteLine(message);

    public void Fields(JsonNode node, params string[] names)
    {
        var width = names.Max(n => n.Length);
        foreach (var n in names) Out.WriteLine($"{n.PadRight(width)}  {Text(node[n])}");
    }

    public void Table<TRow>(IEnumerable<TRow?> rows, params (string Header, Func<TRow, string> Cell)[] columns)
    {
        var cells = rows.Where(r => r is not null).Select(r => columns.Select(c => c.Cell(r!)).ToArray()).ToList();
        var widths = columns.Select((c, i) => Math.Max(c.Header.Length, cells.Count == 0 ? 0 : cells.Max(r => r[i].Length))).ToArray();
        Out.WriteLine(string.Join("  ", columns.Select((c, i) => c.Header.PadRight(widths[i]))).TrimEnd());
        foreach (var r in cells) Out.WriteLine(string.Join("  ", r.Select((v, i) => v.PadRight(widths[i]))).TrimEnd());
    }

    public static string Text(JsonNode? n) => n switch
    {
        null => "-",
        JsonArray a => string.Join(", ", a.Select(Text)),
        JsonObject o when o["facilityId"] is not null && o["sectorId"] is not null => $"{o["facilityId"]}/{o["sectorId"]}",
        JsonObject o => o.ToJsonString(),
        _ => n.ToString(),
    };
}

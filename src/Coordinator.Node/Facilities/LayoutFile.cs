using System.Collections.Immutable;
using Coordinator.Domain;
using Coordinator.Domain.Facilities;
using Coordinator.Node.Http;

namespace Coordinator.Node.Facilities;

/// <summary>One sector of an uploaded layout: its row in the file, what it says, and the definition it makes or why it makes none.</summary>
public sealed record LayoutRow(int Row, SectorRequest Fields, SectorDefinition? Definition, Refusal? Problem);

/// <summary>
/// A layout as a lead sends it: the JSON list of sectors, or the CSV a spreadsheet writes
/// (header <c>id,parent,kind,name,needs</c>, needs separated by <c>;</c>, RFC 4180 quoting). Rows are numbered as the
/// lead sees them: the CSV's line (the header is line 1), or the sector's position in the JSON list from 1.
/// </summary>
public static class LayoutFile
{
    public const char NeedsSeparator = ';';
    private static readonly string[] Columns = ["id", "parent", "kind", "name", "needs"];

    /// <summary>The rows, or why the file as a whole cannot be read (its header, an unclosed quote).</summary>
    public static (ImmutableArray<LayoutRow> Rows, Refusal? Unreadable) Read(LayoutRequest body)
    {
        if (body.Sectors is not null && body.Csv is not null)
            return (default, new(RefusalCode.InvalidField, "send either 'sectors' or 'csv', not both"));
        if (body.Sectors is not null) return ([.. body.Sectors.Select((s, i) => Row(i + 1, s, null))], null);
        if (body.Csv is not null) return FromCsv(body.Csv);
        return (default, new(RefusalCode.InvalidField, "'sectors' or 'csv' is required"));
    }

    /// <summary>The first row refused before the layout rules see it (a bad id, a missing or unknown kind), as PUT answers it.</summary>
    public static Refusal? FirstProblem(ImmutableArray<LayoutRow> rows) => rows.Select(r => r.Problem).FirstOrDefault(p => p is not null);

    private static LayoutRow Row(int row, SectorRequest s, Refusal? unread)
    {
        var (definition, problem) = unread is null ? Definition(s) : (null, unread);
        return new(row, s, definition, problem);
    }

    /// <summary>A sector as requested, or what the edge refuses before the layout rules see it (an id, a missing kind).</summary>
    public static (SectorDefinition? Definition, Refusal? Problem) Definition(SectorRequest s)
    {
        if (!Ids.IsValid(s.Id)) return (null, new(RefusalCode.InvalidId, Ids.Rule("sector id", s.Id)));
        if (s.Parent is not null && !Ids.IsValid(s.Parent)) return (null, new(RefusalCode.InvalidId, Ids.Rule("parent id", s.Parent)));
        if (s.Kind is null) return (null, new(RefusalCode.InvalidField, $"'kind of sector '{s.Id}'' is required"));
        var (place, badPlan) = Place(s.Id!, s.Plan);
        if (badPlan is not null) return (null, badPlan);
        return (new SectorDefinition(s.Id!, s.Parent, s.Kind.Value, string.IsNullOrWhiteSpace(s.Name) ? s.Id! : s.Name.Trim(),
            [.. (s.Needs ?? []).Distinct()], place), null);
    }

    /// <summary>A sector's place on its level, four numbers; whether they make a place (a width and height above 0), the layout rules say.</summary>
    private static (SectorPlace? Place, Refusal? Problem) Place(string sector, System.Text.Json.JsonElement? plan)
    {
        if (plan is not { ValueKind: not System.Text.Json.JsonValueKind.Null } p) return (null, null);
        double? Number(string name) => p.ValueKind == System.Text.Json.JsonValueKind.Object && p.TryGetProperty(name, out var v)
            && v.ValueKind == System.Text.Json.JsonValueKind.Number ? v.GetDouble() : null;
        return (Number("x"), Number("y"), Number("w"), Number("h")) is ({ } x, { } y, { } w, { } h)
            ? (new SectorPlace(x, y, w, h), null)
            : (null, new(RefusalCode.InvalidField, $"plan of sector '{sector}' must be {{\"x\",\"y\",\"w\",\"h\"}}: four numbers"));
    }

    private static (ImmutableArray<LayoutRow>, Refusal?) FromCsv(string text)
    {
        var (records, unclosed) = CsvFile.Records(text);
        if (unclosed is { } at) return (default, new(RefusalCode.InvalidField, $"line {at}: a quoted field is never closed"));
        if (records.Count == 0)
            return (default, new(RefusalCode.InvalidField, $"the CSV is empty: its first line must be {string.Join(',', Columns)}"));
        var header = records[0].Fields.Select(h => h.Trim().ToLowerInvariant()).ToArray();
        if (header.FirstOrDefault(h => !Columns.Contains(h)) is { } unknown)
            return (default, new(RefusalCode.InvalidField, $"line 1: unknown column '{unknown}'; the columns are {string.Join(',', Columns)}"));
        if (!header.Contains("id") || !header.Contains("kind") || header.Distinct().Count() != header.Length)
            return (default, new(RefusalCode.InvalidField, $"line 1 must name each column once, at least id and kind: {string.Join(',', Columns)}"));

        var rows = ImmutableArray.CreateBuilder<LayoutRow>();
        foreach (var (line, fields) in records.Skip(1))
        {
            if (fields.All(string.IsNullOrWhiteSpace)) continue; // a blank line a spreadsheet left
            string? Field(string column) => Array.IndexOf(header, column) is var i and >= 0 && i < fields.Count
                && !string.IsNullOrWhiteSpace(fields[i]) ? fields[i].Trim() : null;
            Refusal? unread = fields.Count != header.Length
                ? new(RefusalCode.InvalidField, $"{fields.Count} field(s) where the header has {header.Length}")
                : null;
            var kind = Parse<SectorKind>(Field("kind"), "kind", ref unread);
            var needs = (Field("needs") ?? "").Split(NeedsSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(n => Parse<Capability>(n, "need", ref unread)).OfType<Capability>().ToArray();
            rows.Add(Row(line, new SectorRequest(Field("id"), Field("parent"), kind, Field("name"), needs), unread));
        }
        return (rows.ToImmutable(), null);
    }

    /// <summary>An enum by its name in any case; numbers are not names.</summary>
    private static T? Parse<T>(string? text, string what, ref Refusal? problem) where T : struct, Enum
    {
        if (text is null) return null;
        if (!char.IsAsciiDigit(text[0]) && Enum.TryParse<T>(text, ignoreCase: true, out var value) && Enum.IsDefined(value)) return value;
        problem ??= new(RefusalCode.InvalidField, $"{what} '{text}' is unknown; one of {string.Join(", ", Enum.GetNames<T>())}");
        return null;
    }
}

using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;
using Akka.Actor;
using Coordinator.Cluster;
using Coordinator.Cluster.Family;
using Coordinator.Cluster.Serialization;
using Coordinator.Domain;
using Coordinator.Domain.Family;
using Coordinator.Node.Access;
using Coordinator.Node.Facilities;
using Coordinator.Node.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Coordinator.Node.Family;

/// <summary>One row of an inquiries CSV: its line in the file, the inquiry it asks for, or why it cannot be read.</summary>
public sealed record InquiryRow(int Row, string? Id, InquiryRequest Fields, Refusal? Problem);

/// <summary>
/// Inquiries registered in bulk from a partner's CSV (header <c>id,name,altNames,fatherName,motherName,birthYear,homeTown,lastSeen,contact</c>,
/// other names separated by <c>;</c>). Every row goes through the same decision as POST /api/inquiries, so a
/// re-imported file registers nothing twice; every row's outcome is reported.
/// </summary>
public static class InquiryImport
{
    public const int MaxRows = 50_000;
    public const long MaxBytes = FacilityEndpoints.LayoutLimit;
    public const char AltNamesSeparator = ';';

    /// <summary>Rows in flight to inquiry entities at once: enough to fill the journal's write batches, few enough not to time out asks.</summary>
    public const int InFlight = 64;

    private static readonly string[] Columns = ["id", "name", "altnames", "fathername", "mothername", "birthyear", "hometown", "lastseen", "contact"];

    public static IEndpointRouteBuilder MapInquiryImport(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api").WithTags("Family desk").RequireAuthorization(Roles.Family)
            .MapPost("/inquiries/import", Import)
            .WithSummary("Imports a partner's list of missing persons (CSV), reporting what became of each row")
            .WithDescription("A lead or the family desk. The CSV as text/csv or in a JSON csv field, at most 50,000 rows and 16 MiB; each row is "
                + "decided as POST /api/inquiries would, so importing the same file again registers nothing twice. A file that cannot be read is "
                + "400 and one of too many rows 413 TooManyRows; otherwise every row's outcome is reported.")
            .Accepts<ImportRequest>("application/json", "text/csv").Produces<ImportReport>();
        return app;
    }

    private static async Task<Results<Ok<ImportReport>, ProblemHttpResult>> Import(HttpRequest http, Gateway gateway, ActorSystem system,
        CancellationToken ct)
    {
        var (text, problem) = await CsvBodyAsync(http);
        if (problem is not null) return problem;
        var (rows, unreadable) = Read(text!);
        if (unreadable is not null) return unreadable;

        var by = Caller.Of(http);
        var now = DateTimeOffset.UtcNow;
        var outcomes = new ConcurrentDictionary<int, ImportRowView>();
        var first = new Dictionary<string, InquiryRow>(StringComparer.Ordinal);
        var toRegister = new List<(InquiryRow Row, RegisterInquiry Command)>();
        foreach (var row in rows)
        {
            var command = new RegisterInquiry(row.Id ?? "", row.Fields.ToDetails(), by);
            // The rules of a single registration, decided on an empty inquiry: the id, the names, the year.
            var refusal = row.Problem ?? (Inquiry.Empty(command.Inquiry).Decide(command, now) as Decision<IInquiryEvent>.Refused)?.Refusal;
            if (refusal is null && first.TryGetValue(command.Inquiry, out var earlier))
                refusal = earlier.Fields.ToDetails().SameAs(command.Details)
                    ? null
                    : new Refusal(RefusalCode.InquiryAlreadyRegistered, $"line {earlier.Row} has inquiry '{command.Inquiry}' with other details");
            if (refusal is not null) outcomes[row.Row] = Refused(row, refusal);
            else if (first.TryGetValue(command.Inquiry, out earlier))
                outcomes[row.Row] = new(row.Row, row.Id, ImportOutcome.Duplicate, null, $"same as line {earlier.Row}");
            else
            {
                first[command.Inquiry] = row;
                toRegister.Add((row, command));
            }
        }

        // The keys that will seal the new inquiries' details, made in one transaction: made one by one as each event
        // is written, each is a write of its own, which halved the import's rate.
        if (PersonalDataKeys.Of(system) is { } keys)
            await Task.Run(() => keys.KeysFor([.. toRegister.Select(r => PersonalDataKeys.InquiryRecord(r.Command.Inquiry))]), ct);

        await Parallel.ForEachAsync(toRegister, new ParallelOptions { MaxDegreeOfParallelism = InFlight, CancellationToken = ct }, async (r, token) =>
            outcomes[r.Row.Row] = await RegisterAsync(r.Row, r.Command, now, gateway, token));

        var report = rows.Select(r => outcomes[r.Row]).ToList();
        return TypedResults.Ok(new ImportReport(report.Count, report.Count(r => r.Outcome == ImportOutcome.Accepted),
            report.Count(r => r.Outcome == ImportOutcome.Duplicate),
            report.Count(r => r.Outcome == ImportOutcome.Refused), report));
    }

    /// <summary>
    /// The inquiry as its entity has it decides whether the row is new, a repeat (same details: nothing to record)
    /// or a conflict; only a new one is sent. Then the entity is shelved: nobody works on it yet, and an import of
    /// 100,000 rows would otherwise keep as many entities in memory until each sat idle long enough.
    /// </summary>
    private static async Task<ImportRowView> RegisterAsync(InquiryRow row, RegisterInquiry command, DateTimeOffset now, Gateway gateway,
        CancellationToken ct)
    {
        try
        {
            if ((await gateway.Inquiries.Ask<Inquiry>(new GetInquiry(command.Inquiry), ct)).Value is not { } current)
                return Refused(row, new Refusal(RefusalCode.Unavailable,
                    "the inquiry did not answer in time: import the file again (registered rows come back as duplicate)"));
            switch (current.Decide(command, now))
            {
                case Decision<IInquiryEvent>.Refused r: return Refused(row, r.Refusal);
                case Decision<IInquiryEvent>.Accepted { Events.Count: 0 }:
                    return new(row.Row, row.Id, ImportOutcome.Duplicate, null, "registered already with the same details");
            }
            return (await gateway.Inquiries.Send(command, ct)).Refusal is { } refusal
                ? Refused(row, refusal)
                : new(row.Row, row.Id, ImportOutcome.Accepted, null, null);
        }
        finally
        {
            gateway.Inquiries.Tell(new ShelveInquiry(command.Inquiry));
        }
    }

    private static ImportRowView Refused(InquiryRow row, Refusal refusal) =>
        new(row.Row, row.Id, ImportOutcome.Refused, refusal.Code.ToString(), refusal.Reason);

    /// <summary>The CSV as text/csv, or in a JSON object's 'csv'; at most <see cref="MaxBytes"/>.</summary>
    private static async Task<(string? Text, ProblemHttpResult? Problem)> CsvBodyAsync(HttpRequest http)
    {
        if (http.ContentType is not { } type || !type.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase))
        {
            var (body, invalid) = await RequestBody.ReadAsync<ImportRequest>(http, MaxBytes);
            if (invalid is not null) return (null, invalid);
            return body!.Csv is null ? (null, Problems.Invalid("'csv' is required: the list as CSV text")) : (body.Csv, null);
        }
        if (http.ContentLength > MaxBytes) return (null, Problems.TooLarge(MaxBytes));
        if (http.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = MaxBytes;
        try
        {
            using var reader = new StreamReader(http.Body, System.Text.Encoding.UTF8);
            // Composed like every string the JSON reader takes in (ApiJson.ComposedText).
            return (Coordinator.Domain.Unicode.Nfc.Normalize(await reader.ReadToEndAsync(http.HttpContext.RequestAborted)), null);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, Problems.TooLarge(MaxBytes));
        }
    }

    /// <summary>
    /// The rows, numbered by their line in the file (the header is line 1), or why the file as a whole cannot be
    /// read: 400 InvalidField for its header, no rows or an unclosed quote, 413 TooManyRows past <see cref="MaxRows"/>.
    /// </summary>
    public static (ImmutableArray<InquiryRow> Rows, ProblemHttpResult? Unreadable) Read(string text)
    {
        var (records, unclosed) = CsvFile.Records(text);
        if (unclosed is { } at) return (default, Problems.Invalid($"line {at}: a quoted field is never closed"));
        var header = records.Count == 0 ? [] : records[0].Fields.Select(h => h.Trim().ToLowerInvariant()).ToArray();
        var expected = "id,name,altNames,fatherName,motherName,birthYear,homeTown,lastSeen,contact";
        if (header.FirstOrDefault(h => !Columns.Contains(h)) is { } unknown)
            return (default, Problems.Invalid($"line 1: unknown column '{unknown}'; the first line must name the columns: {expected}"));
        if (!header.Contains("id") || !header.Contains("name") || header.Distinct().Count() != header.Length)
            return (default, Problems.Invalid($"line 1 must name each column once, at least id and name: {expected}"));
        var data = records.Skip(1).Where(r => !r.Fields.All(string.IsNullOrWhiteSpace)).ToList(); // blank lines a spreadsheet left
        if (data.Count == 0) return (default, Problems.Invalid("the file has a header and no rows"));
        if (data.Count > MaxRows)
            return (default, Problems.Problem(StatusCodes.Status413PayloadTooLarge, ProblemCode.TooManyRows,
                $"{data.Count:N0} rows; at most {MaxRows:N0} in one file: split the list"));

        var rows = ImmutableArray.CreateBuilder<InquiryRow>(data.Count);
        foreach (var (line, fields) in data)
        {
            string? Field(string column) =>
                Array.IndexOf(header, column) is var i and >= 0 && i < fields.Count && !string.IsNullOrWhiteSpace(fields[i])
                    ? fields[i].Trim()
                    : null;
            Refusal? problem = fields.Count != header.Length
                ? new(RefusalCode.InvalidField, $"{fields.Count} field(s) where the header has {header.Length}")
                : null;
            int? year = null;
            if (Field("birthyear") is { } y)
            {
                if (int.TryParse(y, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)) year = parsed;
                else problem ??= new(RefusalCode.InvalidField, $"birth year '{y}' is not a year");
            }
            var alt = (Field("altnames") ?? "").Split(AltNamesSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            rows.Add(new(line, Field("id"), new InquiryRequest(Field("id"), Field("name"), alt, Field("fathername"), Field("mothername"), year,
                Field("hometown"), Field("lastseen"), Field("contact")), problem));
        }
        return (rows.ToImmutable(), null);
    }
}

using Coordinator.Cluster;
using Coordinator.Domain;
using Coordinator.Domain.Family;
using Coordinator.Domain.Sectors;
using Coordinator.Node.Access;
using Coordinator.Node.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Coordinator.Node.Field;

public static class ReportEndpoints
{
    /// <summary>A phone back from underground sends its whole queue at once; more than this waits for the next batch.</summary>
    public const int MaxBatch = 500;

    public static IEndpointRouteBuilder MapReports(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/reports", Report)
            .WithSummary("Records one field report on a sector")
            .WithDescription("A lead or a field token; a field token reports for its own team only (403 NotYourTeam). Idempotent by reportId: the "
                + "same report again records nothing and gets the first answer, a different report under that id is 409 ReportIdReused. The sector "
                + "refuses a report out of turn (409 SectorNotAssignedToTeam, SectorNotInProgress or SectorNotAwaitingEntry).")
            .WithTags("Field reports")
            .RequireAuthorization(Roles.Report)
            .Accepts<ReportRequest>("application/json").Produces<ReportOutcomeView>();
        app.MapPost("/api/reports/batch", Batch)
            .WithSummary("Records a phone's queued field reports, each answered as if sent alone")
            .WithDescription("A lead or a field token; at most 500 reports, each idempotent by its reportId, so a queue may be sent again. Each "
                + "gets in its slot the status and problem it would get alone; reports on one sector are applied in the order given. After one that "
                + "may yet go through (a timeout, 429, 5xx) the later ones on that sector are not applied (503 Unavailable): send them again, in "
                + "order.")
            .WithTags("Field reports")
            .RequireAuthorization(Roles.Report)
            .Accepts<ReportBatchRequest>("application/json").Produces<ReportBatchView>();
        return app;
    }

    private static async Task<Results<Ok<ReportOutcomeView>, ProblemHttpResult>> Report(HttpRequest http, Gateway gateway, CancellationToken ct)
    {
        var (body, problem) = await RequestBody.ReadAsync<ReportRequest>(http);
        if (problem is not null) return problem;
        return await Apply(body!, http, gateway, ct);
    }

    /// <summary>
    /// Reports in the order they were made, each answered on its own as if sent alone. Reports on one sector are
    /// applied one after another in the order given (entered before cleared); different sectors go in parallel.
    /// </summary>
    private static async Task<Results<Ok<ReportBatchView>, ProblemHttpResult>> Batch(HttpRequest http, Gateway gateway, CancellationToken ct)
    {
        var (body, problem) = await RequestBody.ReadAsync<ReportBatchRequest>(http, MaxBatch * RequestBody.SmallLimit / 16);
        if (problem is not null) return problem;
        if (body!.Reports is not { } reports) return Problems.Invalid("'reports' is required");
        if (reports.Length > MaxBatch) return Problems.Invalid($"at most {MaxBatch} reports in one batch; send the rest in the next");
        var outcomes = new BatchOutcome[reports.Length];
        var bySector = reports.Select((r, i) => (Report: r, Index: i))
            .GroupBy(x => x.Report is null ? $"#{x.Index}" : $"{x.Report.FacilityId}/{x.Report.SectorId}");
        await Task.WhenAll(bySector.Select(async sector =>
        {
            string? notRecorded = null;
            foreach (var (report, index) in sector)
            {
                // After a report that may go through on a retry, the sector's later reports wait for it: applied now,
                // they would be recorded before it. A rule's refusal is final and holds nothing back.
                Results<Ok<ReportOutcomeView>, ProblemHttpResult> result = report is null ? Problems.Invalid($"report {index} is null")
                    : notRecorded is not null ? Problems.Of(new Refusal(RefusalCode.Unavailable,
                        $"not applied: report '{notRecorded}' before it on this sector was not recorded; send both again, in order"))
                    : await Apply(report, http, gateway, ct);
                outcomes[index] = OutcomeOf(report?.ReportId, result);
                if (notRecorded is null && MayGoThroughLater(outcomes[index].Status)) notRecorded = report?.ReportId ?? $"#{index}";
            }
        }));
        return TypedResults.Ok(new ReportBatchView(outcomes));
    }

    /// <summary>Nothing was recorded, and the same report may be accepted when sent again: a timeout, the rate limit, an outage.</summary>
    private static bool MayGoThroughLater(int status) =>
        status is StatusCodes.Status408RequestTimeout or StatusCodes.Status429TooManyRequests or >= 500;

    private static BatchOutcome OutcomeOf(string? reportId, Results<Ok<ReportOutcomeView>, ProblemHttpResult> result) => result.Result switch
    {
        Ok<ReportOutcomeView> ok => new(reportId, StatusCodes.Status200OK, ok.Value, null),
        ProblemHttpResult p => new(reportId, p.StatusCode, null,
            new BatchProblem(p.ProblemDetails.Extensions.TryGetValue("code", out var code) ? code?.ToString() ?? "" : p.ProblemDetails.Title ?? "",
                p.ProblemDetails.Detail ?? "")),
        var other => throw new InvalidOperationException($"a report answered {other.GetType().Name}"),
    };

    private static async Task<Results<Ok<ReportOutcomeView>, ProblemHttpResult>> Apply(ReportRequest body, HttpRequest http, Gateway gateway,
        CancellationToken ct)
    {
        var (command, invalid) = ToCommand(body, http);
        if (invalid is not null) return invalid;
        // A field token reports for its own team only; which sector it may report on, the sector decides.
        if (http.HttpContext.User.IsInRole(Roles.Field) && !http.HttpContext.User.IsInRole(Roles.Lead)
            && Roles.TeamOf(http.HttpContext.User) != body.TeamId)
            return Problems.Problem(StatusCodes.Status403Forbidden, ProblemCode.NotYourTeam,
                $"this token reports for team {Roles.TeamOf(http.HttpContext.User)}, not {body.TeamId}");
        var reply = await gateway.Sectors.Send(command!, ct);
        Telemetry.Reports.Add(1, new KeyValuePair<string, object?>("kind", body.Kind.ToString()),
            new KeyValuePair<string, object?>("outcome", reply.Refusal?.Code.ToString() ?? "Accepted"));
        // A sector answers a report with its own status.
        return reply.ThenOk(a => new ReportOutcomeView(body.ReportId!, ReportVerdict.Accepted, ((EntityStatus.Sector)a.Status).Status, a.Version,
            command is ReportPersonsFound { Persons.Length: > 0 } found
                ? [.. found.Persons.Select((_, i) => PersonDetails.IdFor(found.Sector, found.ReportId, i))]
                : null));
    }

    /// <summary>The report as the sector's command; fields a kind needs are required here, their values checked by the rules.</summary>
    public static (FieldReport? Command, ProblemHttpResult? Problem) ToCommand(ReportRequest r, HttpRequest http)
    {
        if (Validate.First(Validate.Id("report id", r.ReportId), Validate.Id("team id", r.TeamId), Validate.Id("facility id", r.FacilityId),
                Validate.Id("sector id", r.SectorId), Validate.Required("kind", r.Kind)) is { } invalid)
            return (null, invalid);
        var sector = new SectorRef(r.FacilityId!, r.SectorId!);
        var (id, team, by) = (r.ReportId!, r.TeamId!, Caller.Of(http));
        return r.Kind!.Value switch
        {
            ReportKind.Entered => (new ReportEntered(sector, id, team, by), null),
            ReportKind.Cleared => Require("method", r.Method) ?? (new ReportCleared(sector, id, team, r.Method!.Value, by), null),
            ReportKind.ClearedWithDeceased => Require("method", r.Method)
                ?? (new ReportClearedWithDeceased(sector, id, team, r.Method!.Value, r.Deceased ?? 0, by), null),
            ReportKind.Blocked => Require("needs", r.Needs) ?? (new ReportBlocked(sector, id, team, [.. r.Needs!], r.Note, by), null),
            ReportKind.AccessOpened => Require("needs", r.Needs) ?? (new ReportAccessOpened(sector, id, team, [.. r.Needs!], by), null),
            ReportKind.Hazard => Require("hazard", r.Hazard) ?? (new ReportHazard(sector, id, team, r.Hazard!.Trim(), by), null),
            // Named persons count as alive unless the counts say otherwise.
            ReportKind.PersonsFound => (new ReportPersonsFound(sector, id, team, r.Alive ?? (r.Deceased is null ? r.Persons?.Length ?? 0 : 0),
                r.Deceased ?? 0, r.NeedsMedical ?? false, r.Details, [.. (r.Persons ?? []).Select(p => p.ToDetails())], by), null),
            ReportKind.HiddenSpaceFound => Require("newSectorId", r.NewSectorId) ?? (Validate.Id("new sector id", r.NewSectorId) is { } bad
                ? (null, bad)
                : (new ReportHiddenSpaceFound(sector, id, team, r.NewSectorId!, r.Name, [.. r.Needs ?? []], r.Note, by), null)),
            _ => (null, Problems.Invalid($"unknown report kind {r.Kind}")),
        };
    }

    private static (FieldReport?, ProblemHttpResult?)? Require(string field, object? value) =>
        Validate.Required(field, value) is { } missing ? (null, missing) : null;
}

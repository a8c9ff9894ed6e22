using System.Net;
using System.Text;
using Akka.Hosting;
using Coordinator.Cluster.Views;
using Coordinator.Domain;
using Coordinator.Domain.Facilities;
using Coordinator.Domain.Views;
using Coordinator.Node.Access;
using Coordinator.Node.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Coordinator.Node.Printed;

/// <summary>
/// The printable coverage report of a facility: every leaf sector, and every sector ever visited, with who searched
/// it, when, how, what was found, and the marking for its door. The evidence behind "no hidden cells remain": a cell
/// searched before a hidden space was found under it keeps its visits, marked with what lies within it, so the
/// report never shows less than the history.
/// </summary>
public static class ReportPage
{
    public static IEndpointRouteBuilder MapReportPage(this IEndpointRouteBuilder app)
    {
        // ?lang=ar|en: printed in the language the dashboard is read in (English for anything else).
        app.MapGet("/facilities/{facilityId}/report", async Task<Results<ContentHttpResult, ProblemHttpResult>> (string facilityId, string? lang,
            string? ticket, HttpContext http, Published<Board> live) =>
        {
            if ((await PrintedPages.AdmitAsync(http, ticket, Roles.Read, "/api/facilities/{facilityId}/report-link")).Refused is { } refused)
                return refused;
            if (Validate.Id("facility id", facilityId) is { } invalid) return invalid;
            var board = live.Current;
            if (!board.Facilities.TryGetValue(facilityId, out var f))
                return Problems.Of(new Refusal(RefusalCode.FacilityNotFound, $"facility '{facilityId}' is not registered"));
            var rows = CoverageRow.Of(board, facilityId).Where(r => r.Leaf || r.Visits.Length > 0);
            return TypedResults.Content(Render(f, rows, DateTimeOffset.UtcNow, PageText.For(lang)), "text/html; charset=utf-8");
        }).WithTags("Live progress").RequireCurrent<Board>("operations").ExcludeFromDescription();

        app.MapPost("/api/facilities/{facilityId}/report-link", Results<Ok<ReportLinkView>, ProblemHttpResult> (string facilityId,
            [OneOf(PageText.English, PageText.Arabic)] string? lang, HttpContext http, Published<Board> live) =>
        {
            if (Validate.First(Validate.Id("facility id", facilityId), Validate.Language(lang)) is { } invalid) return invalid;
            if (!live.Current.Facilities.ContainsKey(facilityId))
                return Problems.Of(new Refusal(RefusalCode.FacilityNotFound, $"facility '{facilityId}' is not registered"));
            return TypedResults.Ok(PrintedPages.Link(http, $"/facilities/{facilityId}/report", lang));
        }).WithSummary("Issues a one-minute link that opens the facility's printable coverage report")
            .WithDescription("Any signed-in role. The single-use link opens the printable coverage report, from this node's live view, in lang (ar "
                + "or en; English when not given; 400 for another). 404 FacilityNotFound.")
            .WithTags("Live progress").RequireAuthorization(Roles.Read).RequireCurrent<Board>("operations").Produces<ReportLinkView>();
        return app;
    }

    private static string E(object? v) => WebUtility.HtmlEncode(v?.ToString() ?? "");

    private static string Render(Coordinator.Domain.Views.LiveFacility f, IEnumerable<CoverageRow> rows, DateTimeOffset now, PageText text)
    {
        // Every string from the pages' JSON, encoded with what was put into it; names and notes keep their own direction.
        string T(string key, params (string, object?)[] args) => E(text.T(key, args));
        string N(long n) => text.Number(n);
        string List(IEnumerable<Capability> capabilities) =>
            E(string.Join(text.T("common.listSeparator"), capabilities.Select(c => text.T($"capability.{c}"))));
        var html = new StringBuilder();
        var p = ProgressView.Of(f.Total);
        var within = f.Sectors.Values.Where(s => s.Parent is not null).ToLookup(s => s.Parent!, s => s.Id);
        html.Append($$"""
            <!doctype html><html lang="{{text.Lang}}" dir="{{text.Dir}}"><head><meta charset="utf-8">
            """ + $$"""
            <title>{{T("report.title", ("facility", f.Name))}}</title>
            <link rel="stylesheet" href="/report.css"></head><body>
            <h1>{{T("report.title", ("facility", f.Name))}}</h1>
            <p><span dir="auto">{{E(string.Join(", ", f.Aliases))}}</span> <span dir="auto">{{E(f.Location)}}</span><br>
            {{T("report.printed", ("at", text.Date(now)))}} · {{T("report.summary", ("leaves", N(p.Leaves)), ("cleared", N(p.Cleared)),
                ("clearedWithDeceased", N(p.ClearedWithDeceased)), ("open", N(p.Leaves - p.Cleared - p.ClearedWithDeceased)),
                ("alive", N(p.PersonsAlive)), ("deceased", N(p.PersonsDeceased)))}} ·
            {{(f.SignedOff ? $"<strong>{T("report.signedOff")}</strong>" : T("report.notSignedOff"))}}</p>
            """);
        var head = string.Concat(new[] { "sector", "status", "searchedBy", "method", "fromTo", "found", "notes", "marking" }
            .Select(c => $"<th>{T($"report.col.{c}")}</th>"));
        foreach (var level in rows.GroupBy(r => r.Level))
        {
            html.Append($"<h2>{T("report.level", ("level", level.Key))}</h2><table><thead><tr>{head}</tr></thead><tbody>");
            foreach (var r in level)
            {
                var visits = r.Visits.Length == 0
                    ? $"<em>{T("report.notVisited")}</em>"
                    : string.Join("<br>", r.Visits.Select(v => $"{E(v.Team)} ({List(v.Capabilities)})"));
                // Ids kept apart from the sentence around them, so an Arabic line does not reorder "B1-1-V" into "V-1-B1".
                var inside = r.Leaf ? "" : $"<br><small>{T("report.within")} " + string.Join(E(text.T("common.listSeparator")),
                    within[r.Sector].Order(StringComparer.Ordinal).Select(id => $"<bdi>{E(id)}</bdi>")) + "</small>";
                html.Append($"<tr class=\"{(r.Status.IsFinal() ? "" : "open")}\"><td>{E(r.Sector)}<br><small>"
                        + $"<span dir=\"auto\">{E(r.Name)}</span> · {T($"sectorKind.{r.Kind}")}</small>{inside}</td>")
                    .Append($"<td>{T($"status.{r.Status}")}</td><td>{visits}</td>")
                    .Append($"<td>{string.Join("<br>", r.Visits.Select(v => v.Method is { } m ? T($"method.{m}") : ""))}</td>")
                    .Append($"<td>{string.Join("<br>", r.Visits.Select(v => $"{E(text.Date(v.Start))} – {E(text.Date(v.End))}"))}</td>")
                    .Append($"<td>{string.Join("<br>", r.Visits.Where(v => v.Alive + v.Deceased > 0)
                        .Select(v => T("report.found", ("alive", N(v.Alive)), ("deceased", N(v.Deceased)))))}</td>")
                    .Append($"<td>{string.Join("<br>", r.Visits.Select(v => $"<span dir=\"auto\">{E(v.Note)}</span>"))}</td>"
                        + $"<td class=\"mark\" dir=\"auto\">{E(r.Marking)}</td></tr>");
            }
            html.Append("</tbody></table>");
        }
        return html.Append("</body></html>").ToString();
    }
}

/// <summary>A link that opens the printable report once, in a new tab, until ExpiresAt.</summary>

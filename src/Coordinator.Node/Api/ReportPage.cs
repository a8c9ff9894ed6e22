using System.Net;
using System.Text;
using Akka.Hosting;
using Coordinator.Domain;
using Coordinator.Domain.Facilities;
using Coordinator.Node.Access;
using Coordinator.Cluster.Views;

namespace Coordinator.Node.Api;

/// <summary>
/// The printable coverage report of a facility: every leaf sector with who searched it, when, how, what was
/// found, and the marking for its door. The evidence behind "no hidden cells remain".
/// </summary>
public static class ReportPage
{
    public static IEndpointRouteBuilder MapReportPage(this IEndpointRouteBuilder app)
    {
        app.MapGet("/facilities/{facilityId}/report", (string facilityId, PublishedBoard live) =>
        {
            if (Validate.Id("facility id", facilityId) is { } invalid) return invalid;
            var board = live.Current;
            if (!board.Facilities.TryGetValue(facilityId, out var f))
                return Problems.Of(new Refusal(RefusalCode.FacilityNotFound, $"facility '{facilityId}' is not registered"));
            return Results.Content(Render(f, CoverageRow.Of(board, facilityId).Where(r => r.Leaf), DateTimeOffset.UtcNow), "text/html; charset=utf-8");
        }).WithTags("Live progress").ExcludeFromDescription().RequireAuthorization(Roles.Read);
        return app;
    }

    private static string E(object? v) => WebUtility.HtmlEncode(v switch { null => "", DateTimeOffset d => d.ToString("yyyy-MM-dd HH:mm 'UTC'"), _ => v.ToString() ?? "" });

    private static string Render(Coordinator.Domain.Views.LiveFacility f, IEnumerable<CoverageRow> rows, DateTimeOffset now)
    {
        var html = new StringBuilder();
        var p = ProgressView.Of(f.Total);
        html.Append($$"""
            <!doctype html><html lang="en"><head><meta charset="utf-8"><title>Coverage report — {{E(f.Name)}}</title>
            <style>
            body{font:11pt/1.35 system-ui,sans-serif;margin:1.5cm;color:#000}
            h1{font-size:16pt;margin:0} h2{font-size:12pt;margin:1em 0 .3em;page-break-after:avoid}
            table{width:100%;border-collapse:collapse;font-size:9pt} th,td{border:1px solid #888;padding:2px 4px;text-align:left;vertical-align:top}
            tr{page-break-inside:avoid} .open{background:#fde2e2} .mark{font-family:monospace}
            @page{size:A4 landscape;margin:1cm}
            </style></head><body>
            <h1>Coverage report — {{E(f.Name)}}</h1>
            <p>{{E(string.Join(", ", f.Aliases))}} {{E(f.Location)}}<br>
            Printed {{E(now)}} · {{p.Leaves}} leaf sectors · {{p.Cleared}} cleared · {{p.ClearedWithDeceased}} cleared with deceased ·
            {{p.Leaves - p.Cleared - p.ClearedWithDeceased}} not cleared · persons found alive {{p.PersonsAlive}}, deceased {{p.PersonsDeceased}} ·
            {{(f.SignedOff ? "<strong>signed off</strong>" : "not signed off")}}</p>
            """);
        foreach (var level in rows.GroupBy(r => r.Level))
        {
            html.Append($"<h2>Level {E(level.Key)}</h2><table><thead><tr><th>Sector</th><th>Status</th><th>Searched by</th><th>Method</th><th>From – to</th><th>Found</th><th>Notes</th><th>Marking</th></tr></thead><tbody>");
            foreach (var r in level)
            {
                var visits = r.Visits.Length == 0 ? "<em>not visited</em>" : string.Join("<br>", r.Visits.Select(v => $"{E(v.Team)} ({E(string.Join(" ", v.Capabilities))})"));
                html.Append($"<tr class=\"{(r.Status.IsFinal() ? "" : "open")}\"><td>{E(r.Sector)}<br><small>{E(r.Name)} · {E(r.Kind)}</small></td><td>{E(r.Status)}</td><td>{visits}</td>")
                    .Append($"<td>{string.Join("<br>", r.Visits.Select(v => E(v.Method)))}</td>")
                    .Append($"<td>{string.Join("<br>", r.Visits.Select(v => $"{E(v.Start)} – {E(v.End)}"))}</td>")
                    .Append($"<td>{string.Join("<br>", r.Visits.Where(v => v.Alive + v.Deceased > 0).Select(v => $"L-{v.Alive} D-{v.Deceased}"))}</td>")
                    .Append($"<td>{string.Join("<br>", r.Visits.Select(v => E(v.Note)))}</td><td class=\"mark\">{E(r.Marking)}</td></tr>");
            }
            html.Append("</tbody></table>");
        }
        return html.Append("</body></html>").ToString();
    }
}

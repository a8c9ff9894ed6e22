using System.Net;
using System.Text;
using Coordinator.Cluster;
using Coordinator.Cluster.Family;
using Coordinator.Cluster.Views;
using Coordinator.Domain;
using Coordinator.Domain.Family;
using Coordinator.Domain.Views;
using Coordinator.Node.Access;
using Coordinator.Node.Family;
using Coordinator.Node.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Coordinator.Node.Printed;

/// <summary>
/// The list of persons found in a facility, for the notice board outside it: names only, and only those the
/// desk chose to publish (POST /api/persons/{id}/notice). Opened with a single-use ticket like the coverage
/// report; every printing is in the read log.
/// </summary>
public static class NoticeBoardPage
{
    public static IEndpointRouteBuilder MapNoticeBoard(this IEndpointRouteBuilder app)
    {
        app.MapGet("/facilities/{facilityId}/notice-board", async Task<Results<ContentHttpResult, ProblemHttpResult>> (string facilityId,
            string? lang, string? ticket, HttpContext http, Published<Board> live, Published<FamilyDesk> family, Gateway gateway,
            CancellationToken ct) =>
        {
            var (subject, refused) = await PrintedPages.AdmitAsync(http, ticket, Roles.Family, "/api/facilities/{facilityId}/notice-board-link");
            if (refused is not null) return refused;
            if (Validate.Id("facility id", facilityId) is { } invalid) return invalid;
            var board = live.Current;
            if (!board.Facilities.TryGetValue(facilityId, out var facility))
                return Problems.Of(new Refusal(RefusalCode.FacilityNotFound, $"facility '{facilityId}' is not registered"));
            var published = family.Current.Persons.Values.Where(p => p.Sector.Facility == facilityId && p.OnNoticeBoard)
                .OrderBy(p => p.Details.Name, StringComparer.Ordinal).ToList();
            if (await FamilyEndpoints.Audited(subject!, gateway, "notice board", published.Select(p => p.Id), [], ct) is { } unlogged)
                return unlogged;
            return TypedResults.Content(Render(facility.Name, published, DateTimeOffset.UtcNow, PageText.For(lang)), "text/html; charset=utf-8");
        }).WithTags("Family desk").RequireCurrent<Board>("operations").RequireCurrent<FamilyDesk>("family desk").ExcludeFromDescription();

        app.MapPost("/api/facilities/{facilityId}/notice-board-link", Results<Ok<ReportLinkView>, ProblemHttpResult> (string facilityId,
            [OneOf(PageText.English, PageText.Arabic)] string? lang, HttpContext http, Published<Board> live) =>
        {
            if (Validate.First(Validate.Id("facility id", facilityId), Validate.Language(lang)) is { } invalid) return invalid;
            if (!live.Current.Facilities.ContainsKey(facilityId))
                return Problems.Of(new Refusal(RefusalCode.FacilityNotFound, $"facility '{facilityId}' is not registered"));
            return TypedResults.Ok(PrintedPages.Link(http, $"/facilities/{facilityId}/notice-board", lang));
        }).WithSummary("Issues a one-minute link that opens the facility's printable notice board")
            .WithDescription("A lead or the family desk. The page lists by name only the persons found in the facility whom the desk chose to "
                + "publish (POST /api/persons/{personId}/notice); opening the single-use link logs the printing as a read. 404 FacilityNotFound.")
            .WithTags("Family desk").RequireAuthorization(Roles.Family).RequireCurrent<Board>("operations").Produces<ReportLinkView>();
        return app;
    }

    private static string E(object? v) => WebUtility.HtmlEncode(v?.ToString() ?? "");

    private static string Render(string facility, IReadOnlyList<RecordedPerson> persons, DateTimeOffset now, PageText text)
    {
        string T(string key, params (string, object?)[] args) => E(text.T(key, args));
        var html = new StringBuilder($$"""
            <!doctype html><html lang="{{text.Lang}}" dir="{{text.Dir}}"><head><meta charset="utf-8">
            """ + $$"""
            <title>{{T("notice.title", ("facility", facility))}}</title>
            <link rel="stylesheet" href="/slip.css"></head><body>
            <h1>{{T("notice.title", ("facility", facility))}}</h1>
            <p>{{T("notice.intro")}}</p>
            <ol class="names">
            """);
        foreach (var p in persons) html.Append($"<li dir=\"auto\">{E(p.Details.Name)}</li>");
        return html.Append($"</ol><p class=\"small\">{T("notice.printed", ("at", text.Date(now)))}</p></body></html>").ToString();
    }
}

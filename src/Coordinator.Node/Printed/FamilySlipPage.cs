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
/// The slip the desk hands to a family, on paper, in Arabic or English: their inquiry, the person found, where
/// they are now, and how to reach the desk. Opened in a new tab with a single-use ticket, like the coverage report;
/// every printing is in the read log.
/// </summary>
public static class FamilySlipPage
{
    public static IEndpointRouteBuilder MapFamilySlip(this IEndpointRouteBuilder app)
    {
        app.MapGet("/family/inquiries/{inquiryId}/slip", async Task<Results<ContentHttpResult, ProblemHttpResult>> (string inquiryId, string? lang,
            string? ticket, HttpContext http, Published<FamilyDesk> family, Published<Board> board, Gateway gateway, ApiSettings settings,
            CancellationToken ct) =>
        {
            var (subject, refused) = await PrintedPages.AdmitAsync(http, ticket, Roles.Family, "/api/inquiries/{inquiryId}/slip-link");
            if (refused is not null) return refused;
            var (slip, problem) = await SlipAsync(inquiryId, family, gateway, ct);
            if (slip is null) return problem!;
            if (await FamilyEndpoints.Audited(subject!, gateway, "family slip", [slip.Value.Person.Id], [slip.Value.Inquiry.Id], ct) is { } unlogged)
                return unlogged;
            return TypedResults.Content(
                Render(slip.Value.Inquiry, slip.Value.Person, board.Current, settings.DeskContact, DateTimeOffset.UtcNow, PageText.For(lang)),
                "text/html; charset=utf-8");
        }).WithTags("Family desk").RequireCurrent<Board>("operations").RequireCurrent<FamilyDesk>("family desk").ExcludeFromDescription();

        app.MapPost("/api/inquiries/{inquiryId}/slip-link", async Task<Results<Ok<ReportLinkView>, ProblemHttpResult>> (string inquiryId,
            [OneOf(PageText.English, PageText.Arabic)] string? lang, HttpContext http, Published<FamilyDesk> family, Gateway gateway,
            CancellationToken ct) =>
        {
            if (Validate.Language(lang) is { } invalid) return invalid;
            var (slip, problem) = await SlipAsync(inquiryId, family, gateway, ct);
            return slip is null ? problem! : TypedResults.Ok(PrintedPages.Link(http, $"/family/inquiries/{inquiryId}/slip", lang));
        }).WithSummary("Issues a one-minute link that opens the family's printable slip")
            .WithDescription("A lead or the family desk. The inquiry needs a confirmed match (409 MatchNotConfirmed); the single-use link opens the "
                + "slip in lang (ar or en; English when not given; 400 for another), and the printing is logged as a read of the inquiry and "
                + "the person.")
            .WithTags("Family desk").RequireAuthorization(Roles.Family).RequireCurrent<FamilyDesk>("family desk").Produces<ReportLinkView>();
        return app;
    }

    /// <summary>The inquiry and the person it was matched with: the one the family was told of, else the first confirmed.</summary>
    private static async Task<((Inquiry Inquiry, RecordedPerson Person)?, ProblemHttpResult?)> SlipAsync(string inquiryId,
        Published<FamilyDesk> family,
        Gateway gateway, CancellationToken ct)
    {
        if (Validate.Id("inquiry id", inquiryId) is { } bad) return (null, bad);
        var (inquiry, refusal) = await gateway.InquiryAsync(inquiryId, ct);
        if (inquiry is null) return (null, Problems.Of(refusal!));
        var personId = inquiry.Case?.Informed?.Person
            ?? inquiry.Decisions.Where(d => d.Value.Decision == MatchDecision.Confirmed).Select(d => d.Key).Min(StringComparer.Ordinal);
        if (personId is null || !family.Current.Persons.TryGetValue(personId, out var person))
            return (null, Problems.Of(new Refusal(RefusalCode.MatchNotConfirmed, $"inquiry '{inquiryId}' has no confirmed match to print")));
        return ((inquiry, person), null);
    }

    private static string E(object? v) => WebUtility.HtmlEncode(v?.ToString() ?? "");

    private static string Render(Inquiry inquiry, RecordedPerson person, Board board, string? deskContact, DateTimeOffset now, PageText text)
    {
        string T(string key, params (string, object?)[] args) => E(text.T(key, args));
        // Names, places and notes are written by people in either script: each keeps its own direction.
        static string Auto(string? v) => $"<span dir=\"auto\">{E(v)}</span>";
        string Or(string? v) => string.IsNullOrWhiteSpace(v) ? $"<em>{T("slip.notRecorded")}</em>" : Auto(v);
        var facility = board.Facilities.TryGetValue(person.Sector.Facility, out var f) ? f.Name : person.Sector.Facility;
        var d = inquiry.Details!;
        var p = person.Details;
        var html = new StringBuilder($$"""
            <!doctype html><html lang="{{text.Lang}}" dir="{{text.Dir}}"><head><meta charset="utf-8"><title>{{T("slip.title")}}</title>
            <link rel="stylesheet" href="/slip.css"></head><body>
            <h1>{{T("slip.title")}}</h1>
            <p>{{T("slip.inquiry", ("id", inquiry.Id), ("at", text.Date(inquiry.RegisteredAt)))}} · {{T($"case.stage.{inquiry.Stage}")}}</p>
            <h2>{{T("slip.sought")}}</h2>
            <dl><dt>{{T("family.field.name")}}</dt><dd>{{Auto(d.Name)}}</dd>
            <dt>{{T("family.field.fatherName")}}</dt><dd>{{Or(d.FatherName)}}</dd>
            <dt>{{T("family.field.birthYear")}}</dt><dd>{{(d.BirthYear is { } y ? E(text.Number(y)) : Or(null))}}</dd>
            <dt>{{T("family.field.homeTown")}}</dt><dd>{{Or(d.HomeTown)}}</dd></dl>
            <h2>{{T("slip.found")}}</h2>
            <dl><dt>{{T("family.field.name")}}</dt><dd>{{Auto(p.Name)}}</dd>
            <dt>{{T("slip.foundWhere")}}</dt><dd>{{T("slip.foundAt", ("facility", facility), ("at", text.Date(person.FoundAt)))}}</dd>
            <dt>{{T("slip.condition")}}</dt><dd class="where">{{Or(p.Condition)}}</dd>
            <dt>{{T("slip.takenTo")}}</dt><dd class="where">{{Or(p.TakenTo)}}</dd></dl>
            <h2>{{T("slip.desk")}}</h2>
            <p class="contact">{{Or(deskContact)}}</p>
            <p class="small">{{T("slip.keep")}} · {{T("slip.printed", ("at", text.Date(now)))}}</p>
            </body></html>
            """);
        return html.ToString();
    }
}

using System.Text;
using Coordinator.Cluster;
using Coordinator.Cluster.Family;
using Coordinator.Cluster.Views;
using Coordinator.Domain;
using Coordinator.Domain.Family;
using Coordinator.Domain.Sectors;
using Coordinator.Node.Access;
using Coordinator.Node.Http;
using Coordinator.Node.Live;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Coordinator.Node.Family;

/// <summary>
/// The family desk: persons found, families' inquiries, the matching between them and the case after a match.
/// Names are for the desk and leads only; a family's contact for the desk's officers only, once a match is
/// confirmed. Every answer that shows a person's or an inquiry's details is logged before it is sent, whatever its verb:
/// a command's answer shows the record as much as a read does.
/// </summary>
public static class FamilyEndpoints
{
    public static IEndpointRouteBuilder MapFamilyDesk(this IEndpointRouteBuilder app)
    {
        var desk = app.MapGroup("/api").WithTags("Family desk").RequireAuthorization(Roles.Family).RequireCurrent<FamilyDesk>("family desk");
        desk.MapGet("/persons", SearchPersons).WithSummary("Searches the persons found by name, best match first, a page at a time")
            .WithDescription("A lead or the family desk. The query is a name or a person id, matched against this node's family desk view; page "
                + "with next as cursor. The persons shown are logged as read before the answer is sent (503 Unavailable if the log cannot be "
                + "written).")
            .Produces<Page<PersonView>>();
        desk.MapGet("/persons/{personId}", GetPerson).WithSummary("Reads a person's record")
            .WithDescription("A lead or the family desk. Read from this node's family desk view, which trails a report by a moment; 404 "
                + "PersonNotFound. The read is logged before the answer is sent.")
            .Produces<PersonView>();
        desk.MapPost("/persons/{personId}/corrections", CorrectPerson).WithSummary("Corrects a person's recorded details")
            .WithDescription("A lead or the family desk; person and reason are required. The same details again record nothing, and an erased "
                + "person is 409 PersonAlreadyErased; if the answer's read cannot be logged, the correction stands and 503 Unavailable says to read "
                + "the person again.")
            .Accepts<CorrectionRequest>("application/json").Produces<PersonView>();
        desk.MapPost("/persons/{personId}/notice", DecideNotice).WithSummary("Decides whether a person appears on the facility's notice board")
            .WithDescription("A lead or the family desk. With publish true the person's name goes on the facility's printed notice board, with "
                + "false it comes off; the last decision stands, and the answer is logged as a read of the person.")
            .Accepts<NoticeRequest>("application/json").Produces<PersonView>();
        desk.MapGet("/persons/{personId}/candidates", PersonCandidates).WithSummary("Lists the inquiries that may be about a person")
            .WithDescription("A lead or the family desk. The inquiries this node's family desk view matches to the person, each with its score and "
                + "reasons; the person and those inquiries are logged as read before the answer is sent.")
            .Produces<CandidateView[]>();
        desk.MapPost("/inquiries", RegisterInquiry).WithSummary("Registers a family's inquiry about a missing person")
            .WithDescription("A lead or the family desk; id and name are required. The same id with the same details again records nothing and is "
                + "answered alike; other details are 409 InquiryAlreadyRegistered. The family's contact is kept, and shown only to desk officers "
                + "once a match is confirmed.")
            .Accepts<InquiryRequest>("application/json").Produces<InquiryView>(StatusCodes.Status201Created);
        desk.MapGet("/inquiries", ListInquiries).WithSummary("Lists the inquiries, newest first, a page at a time")
            .WithDescription("A lead or the family desk. The status filter is open (default), closed or all, and the query matches names or an "
                + "exact id; from this node's family desk view, paged with next as cursor. The inquiries shown are logged as read.")
            .Produces<Page<InquiryView>>();
        desk.MapGet("/inquiries/{inquiryId}", GetInquiry).WithSummary("Reads an inquiry")
            .WithDescription("A lead or the family desk. Read from the inquiry's own entity, without the family's contact; 404 InquiryNotFound. The "
                + "read is logged before the answer is sent.")
            .Produces<InquiryView>();
        desk.MapPost("/inquiries/{inquiryId}/close", CloseInquiry).WithSummary("Closes an inquiry with its outcome")
            .WithDescription("A lead or the family desk; an outcome, or a reason alone. Reunited needs the family informed (409 FamilyNotInformed), "
                + "DeceasedConfirmed a confirmed match (409 MatchNotConfirmed), and another officer's claim refuses it (409 CaseClaimedByOther); "
                + "closing a closed inquiry records nothing.")
            .Accepts<CloseRequest>("application/json").Produces<InquiryView>();
        desk.MapPost("/inquiries/{inquiryId}/informed", InformFamily).WithSummary("Records that the family was informed of a confirmed match")
            .WithDescription("A lead or the family desk. The person must be a confirmed match (409 MatchNotConfirmed) of an open inquiry (409 "
                + "InquiryClosed) whose case no other officer holds (409 CaseClaimedByOther); the same record again records nothing.")
            .Accepts<InformedRequest>("application/json").Produces<InquiryView>();
        desk.MapPost("/inquiries/{inquiryId}/claim", (string inquiryId, HttpRequest http, Gateway gateway, CancellationToken ct) =>
            Send(inquiryId, new ClaimCase(inquiryId, Caller.Of(http)), "case claimed", http, gateway, ct))
            .WithSummary("Claims an inquiry's case for the caller for a while")
            .WithDescription("A lead or the family desk. The claim lasts four hours and claiming again renews it; 409 CaseClaimedByOther while "
                + "another officer holds it, 409 InquiryClosed once the inquiry is closed.")
            .Produces<InquiryView>();
        desk.MapPost("/inquiries/{inquiryId}/release", (string inquiryId, HttpRequest http, Gateway gateway, CancellationToken ct) =>
            Send(inquiryId, new ReleaseCase(inquiryId, Caller.Of(http)), "case released", http, gateway, ct))
            .WithSummary("Releases the caller's claim on an inquiry's case")
            .WithDescription("A lead or the family desk. With no claim standing it records nothing; another officer's claim is 409 "
                + "CaseClaimedByOther.")
            .Produces<InquiryView>();
        // Whom to call: the desk's officers only (not leads), once a match is confirmed, and every answer is in the read log.
        desk.MapGet("/inquiries/{inquiryId}/contact", InquiryContact).WithSummary("Reads the family's contact, once a match is confirmed")
            .WithDescription("The family desk only, not leads. 409 MatchNotConfirmed until a match is confirmed; the read is logged before the "
                + "contact is sent.")
            .RequireAuthorization(p => p.RequireRole(Roles.FamilyDesk)).Produces<ContactView>();
        desk.MapGet("/family/queue", Queue)
            .WithSummary("Reads the desk's work queue a page at a time: strong candidates, families to inform, untouched inquiries")
            .WithDescription("A lead or the family desk, from this node's family desk view: strong candidates not yet decided (best first), "
                + "confirmed matches whose family is not yet told, then inquiries untouched for days (1-365, default 7). Page with next as cursor; "
                + "the page is logged as a read.")
            .Produces<Page<QueueItem>>();
        desk.MapGet("/inquiries/{inquiryId}/candidates", InquiryCandidates).WithSummary("Lists the persons found who may be the one an inquiry seeks")
            .WithDescription("A lead or the family desk. The persons this node's family desk view matches to the inquiry, each with its score and "
                + "reasons; 404 InquiryNotFound. The read is logged before the answer is sent.")
            .Produces<CandidateView[]>();
        desk.MapPost("/inquiries/{inquiryId}/matches", DecideMatch)
            .WithSummary("Confirms or rejects a candidate match between an inquiry and a person")
            .WithDescription("A lead or the family desk; personId and decision (Confirmed or Rejected) are required. 404 PersonNotFound, 409 "
                + "InquiryClosed; the same decision with the same note again records nothing.")
            .Accepts<MatchRequest>("application/json").Produces<InquiryView>();
        desk.MapGet("/family/export/matches.csv", ExportMatches).WithSummary("Exports the confirmed matches as CSV")
            .WithDescription("A lead or the family desk. The confirmed matches, oldest decision first, each with the inquiry and the person; the "
                + "contact column is filled for desk officers only. The whole export is logged as one read before the first byte.")
            .Produces(200, contentType: "text/csv");
        desk.MapGet("/family/export/inquiries.csv", ExportInquiries).WithSummary("Exports the inquiries as CSV")
            .WithDescription("A lead or the family desk. The open inquiries, oldest first; the contact column is filled for desk officers only, on "
                + "inquiries with a confirmed match. The whole export is logged as one read before the first byte.")
            .Produces(200, contentType: "text/csv");
        // Erasure is a lead's or an admin's decision, not the desk's: the details are gone for good.
        var erase = app.MapGroup("/api").WithTags("Family desk").RequireAuthorization(Roles.Erase);
        erase.MapPost("/persons/{personId}/erase", ErasePerson).WithSummary("Erases a person's details for good; the record stays")
            .WithDescription("A lead or an admin, not the desk. The reason is required and must not repeat the names it erases (400 InvalidField), "
                + "as it stays in the history; erasing again is 409 PersonAlreadyErased.")
            .Accepts<EraseRequest>("application/json").Produces<PersonView>();
        erase.MapPost("/inquiries/{inquiryId}/erase", EraseInquiry).WithSummary("Erases an inquiry's details for good; the record stays")
            .WithDescription("A lead or an admin, not the desk. The reason is required and must not repeat the names or the contact it erases (400 "
                + "InvalidField), as it stays in the history; erasing again is 409 InquiryAlreadyErased.")
            .Accepts<EraseRequest>("application/json").Produces<InquiryView>();
        desk.MapGet("/family/stream", (HttpContext http, string? lastEventId) =>
            LiveEndpoints.Stream(http, null, lastEventId, LiveEndpoints.Audience.FamilyDesk))
            .WithSummary("Streams the family desk's changes (server-sent events)")
            .WithDescription("A lead or the family desk, with the bearer token or a single-use ticket from POST /api/family/stream/ticket. Each "
                + "batch of changes names persons and inquirers, so it is logged as a read before it is sent; a token holds a limited number of "
                + "streams at once (429 TooManyStreams).")
            .Produces(200, contentType: "text/event-stream");
        return app;
    }

    /// <summary>Best match first, then by id: a person's score is the same on every page of one search.</summary>
    private static async Task<Results<Ok<Page<PersonView>>, ProblemHttpResult>> SearchPersons([Required] string? query, string? cursor,
        [Between(1, Paging.MaxLimit)] int? limit, HttpRequest http, Published<FamilyDesk> family, Gateway gateway, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(query) || query.Length > PersonDetails.MaxNameLength)
            return Problems.Invalid($"'query' is required: a name or a person id, at most {PersonDetails.MaxNameLength} characters");
        var (request, refused) = Validate.Page("persons", cursor, limit);
        if (request is null) return refused!;
        var desk = family.Current;
        IEnumerable<(RecordedPerson Person, int Score)> found = desk.Persons.TryGetValue(query.Trim(), out var byId)
            ? [(byId, 100)]
            : desk.SearchPersons(query, int.MaxValue);
        var page = Paging.Take(found, x => Paging.Key(Paging.Descending(x.Score), x.Person.Id), request);
        return await AuditedOk(http, gateway, "person search", page.Items.Select(x => x.Person.Id), [],
            page.Select(x => PersonView.Of(x.Person)), ct);
    }

    private static async Task<Results<Ok<PersonView>, ProblemHttpResult>> GetPerson(string personId, HttpRequest http, Published<FamilyDesk> family,
        Gateway gateway, CancellationToken ct)
    {
        var (person, problem) = FindPerson(personId, family);
        if (person is null) return problem!;
        return await AuditedOk(http, gateway, "person record", [person.Id], [], PersonView.Of(person), ct);
    }

    private static async Task<Results<Ok<PersonView>, ProblemHttpResult>> CorrectPerson(string personId, HttpRequest http,
        Published<FamilyDesk> family,
        Gateway gateway, CancellationToken ct)
    {
        var (person, problem) = FindPerson(personId, family);
        if (person is null) return problem!;
        var (body, invalid) = await RequestBody.ReadAsync<CorrectionRequest>(http);
        if (invalid is not null) return invalid;
        if (Validate.First(Validate.Required("person", body!.Person), Validate.Required("reason", body.Reason)) is { } missing) return missing;
        var reply = await gateway.Sectors.Send(
            new CorrectPerson(person.Sector, person.Id, body.Person!.ToDetails(), body.Reason!, Caller.Of(http)), ct);
        return await Answer(reply, "person record corrected", person with { Details = body.Person!.ToDetails() }, http, gateway, ct);
    }

    private static async Task<Results<Ok<PersonView>, ProblemHttpResult>> ErasePerson(string personId, HttpRequest http, Published<FamilyDesk> family,
        Gateway gateway, CancellationToken ct)
    {
        var (person, problem) = FindPerson(personId, family);
        if (person is null) return problem!;
        var (body, invalid) = await RequestBody.ReadAsync<EraseRequest>(http);
        if (invalid is not null) return invalid;
        if (Validate.Required("reason", body!.Reason) is { } missing) return missing;
        var reply = await gateway.Sectors.Send(new ErasePerson(person.Sector, person.Id, body.Reason!, Caller.Of(http)), ct);
        return await Answer(reply, "person's details erased", person with { Details = PersonDetails.Erased }, http, gateway, ct);
    }

    private static async Task<Results<Ok<InquiryView>, ProblemHttpResult>> EraseInquiry(string inquiryId, HttpRequest http, Gateway gateway,
        CancellationToken ct)
    {
        if (Validate.Id("inquiry id", inquiryId) is { } bad) return bad;
        var (body, invalid) = await RequestBody.ReadAsync<EraseRequest>(http);
        if (invalid is not null) return invalid;
        if (Validate.Required("reason", body!.Reason) is { } missing) return missing;
        return await Send(inquiryId, new EraseInquiry(inquiryId, body.Reason!, Caller.Of(http)), "inquiry's details erased", http, gateway, ct);
    }

    private static async Task<Results<Ok<PersonView>, ProblemHttpResult>> DecideNotice(string personId, HttpRequest http,
        Published<FamilyDesk> family,
        Gateway gateway, CancellationToken ct)
    {
        var (person, problem) = FindPerson(personId, family);
        if (person is null) return problem!;
        var (body, invalid) = await RequestBody.ReadAsync<NoticeRequest>(http);
        if (invalid is not null) return invalid;
        if (Validate.Required("publish", body!.Publish) is { } missing) return missing;
        var reply = await gateway.Sectors.Send(new DecideNotice(person.Sector, person.Id, body.Publish!.Value, Caller.Of(http)), ct);
        return await Answer(reply, "notice board decision", person with { OnNoticeBoard = body.Publish!.Value }, http, gateway, ct);
    }

    /// <summary>
    /// The person's record as a command on it left it, or the refusal. The answer shows the record, so it is a read
    /// like any other: logged with <paramref name="purpose"/>, or not sent.
    /// </summary>
    private static async Task<Results<Ok<PersonView>, ProblemHttpResult>> Answer(Reply<CommandAccepted> reply, string purpose, RecordedPerson after,
        HttpRequest http, Gateway gateway, CancellationToken ct) =>
        reply.Refusal is { } refused
            ? Problems.Of(refused)
            : await RecordedThenShown(http, gateway, purpose, [after.Id], [], PersonView.Of(after), $"/api/persons/{after.Id}", ct);

    private static async Task<Results<Ok<IEnumerable<CandidateView>>, ProblemHttpResult>> PersonCandidates(string personId, HttpRequest http,
        Published<FamilyDesk> family, Gateway gateway, CancellationToken ct)
    {
        var (person, problem) = FindPerson(personId, family);
        if (person is null) return problem!;
        var desk = family.Current;
        var candidates = desk.CandidatesForPerson(person.Id);
        return await AuditedOk(http, gateway, "candidates of a person", [person.Id], candidates.Select(c => c.InquiryId),
            candidates.Select(c => CandidateView.Of(c, null, InquiryView.Of(desk.Inquiries[c.InquiryId]))), ct);
    }

    private static async Task<Results<Created<InquiryView>, ProblemHttpResult>> RegisterInquiry(HttpRequest http, Gateway gateway,
        CancellationToken ct)
    {
        var (body, invalid) = await RequestBody.ReadAsync<InquiryRequest>(http);
        if (invalid is not null) return invalid;
        if (Validate.First(Validate.Id("inquiry id", body!.Id), Validate.Required("name", body.Name)) is { } bad) return bad;
        if ((await gateway.Inquiries.Send(new RegisterInquiry(body.Id!, body.ToDetails(), Caller.Of(http)), ct)).Refusal is { } refused)
            return Problems.Of(refused);
        var (inquiry, refusal) = await gateway.InquiryAsync(body.Id!, ct);
        if (inquiry is null) return Problems.Of(refusal!);
        // Registering the same inquiry again is answered alike: a plain "retry" is right if the read cannot be logged.
        return await Audited(http, gateway, "inquiry registered", inquiry.Decisions.Keys, [inquiry.Id], ct) is { } unlogged
            ? unlogged
            : TypedResults.Created($"/api/inquiries/{inquiry.Id}", InquiryView.Of(inquiry));
    }

    /// <summary>Newest first (registered at, then id): inquiries registered during a walk come before its cursor, so they shift nothing.</summary>
    private static async Task<Results<Ok<Page<InquiryView>>, ProblemHttpResult>> ListInquiries(
        [OneOf("open", "closed", "all")] string? status, string? query, string? cursor, [Between(1, Paging.MaxLimit)] int? limit,
        HttpRequest http, Published<FamilyDesk> family, Gateway gateway, CancellationToken ct)
    {
        if (status is not (null or "open" or "closed" or "all")) return Problems.Invalid("'status' must be open, closed or all");
        var (request, refused) = Validate.Page("inquiries", cursor, limit);
        if (request is null) return refused!;
        var desk = family.Current;
        IEnumerable<Inquiry> inquiries = desk.Inquiries.Values.Where(i => i.Registered && (status ?? "open") switch
        {
            "open" => !i.Closed,
            "closed" => i.Closed,
            _ => true,
        });
        if (!string.IsNullOrWhiteSpace(query))
        {
            var tokens = Names.Tokens(query);
            inquiries = inquiries.Where(i => i.Id == query.Trim()
                || desk.InquiryProfiles.TryGetValue(i.Id, out var profile) && profile.Names.Any(n => Matcher.TokenSetScore(tokens, n) >= 0.7));
        }
        var page = Paging.Take(inquiries, i => Paging.Key(Paging.Descending(i.RegisteredAt), i.Id), request);
        return await AuditedOk(http, gateway, "inquiry list", [], page.Items.Select(i => i.Id), page.Select(InquiryView.Of), ct);
    }

    private static async Task<Results<Ok<InquiryView>, ProblemHttpResult>> GetInquiry(string inquiryId, HttpRequest http, Gateway gateway,
        CancellationToken ct)
    {
        var (inquiry, problem) = await InquiryAsync(inquiryId, gateway, ct);
        if (inquiry is null) return problem!;
        return await AuditedOk(http, gateway, "inquiry record", inquiry.Decisions.Keys, [inquiry.Id], InquiryView.Of(inquiry), ct);
    }

    private static async Task<Results<Ok<InquiryView>, ProblemHttpResult>> CloseInquiry(string inquiryId, HttpRequest http, Gateway gateway,
        CancellationToken ct)
    {
        if (Validate.Id("inquiry id", inquiryId) is { } bad) return bad;
        var (body, invalid) = await RequestBody.ReadAsync<CloseRequest>(http);
        if (invalid is not null) return invalid;
        if (body!.Outcome is null && Validate.Required("reason", body.Reason) is { } missing) return missing;
        return await Send(inquiryId, new CloseInquiry(inquiryId, body.Outcome, body.Reason, Caller.Of(http)), "inquiry closed", http, gateway, ct);
    }

    private static async Task<Results<Ok<InquiryView>, ProblemHttpResult>> InformFamily(string inquiryId, HttpRequest http, Gateway gateway,
        CancellationToken ct)
    {
        if (Validate.Id("inquiry id", inquiryId) is { } bad) return bad;
        var (body, invalid) = await RequestBody.ReadAsync<InformedRequest>(http);
        if (invalid is not null) return invalid;
        if (Validate.First(Validate.Id("person id", body!.PersonId), Validate.Required("how", body.How)) is { } missing) return missing;
        return await Send(inquiryId, new InformFamily(inquiryId, body.PersonId!, body.How!.Value, PersonRequest.Trimmed(body.Notes), Caller.Of(http)),
            "family informed", http, gateway, ct);
    }

    /// <summary>
    /// The inquiry as it is after the command, or the refusal. The answer shows the inquiry's details and the persons
    /// its decisions name, so it is a read like any other: logged with <paramref name="purpose"/>, or not sent.
    /// </summary>
    private static async Task<Results<Ok<InquiryView>, ProblemHttpResult>> Send(string inquiryId, IInquiryCommand command, string purpose,
        HttpRequest http, Gateway gateway, CancellationToken ct)
    {
        if (Validate.Id("inquiry id", inquiryId) is { } bad) return bad;
        if ((await gateway.Inquiries.Send(command, ct)).Refusal is { } refused) return Problems.Of(refused);
        var (inquiry, problem) = await InquiryAsync(inquiryId, gateway, ct);
        if (inquiry is null) return problem!;
        return await RecordedThenShown(http, gateway, purpose, inquiry.Decisions.Keys, [inquiry.Id], InquiryView.Of(inquiry),
            $"/api/inquiries/{inquiry.Id}", ct);
    }

    /// <summary>
    /// The answer to a recorded command, once its read is logged. If it cannot be, the command stands but the answer is
    /// not shown, and the problem says so: sending the command again would not be the same (a second close is refused).
    /// </summary>
    private static async Task<Results<Ok<T>, ProblemHttpResult>> RecordedThenShown<T>(HttpRequest http, Gateway gateway, string purpose,
        IEnumerable<string> persons, IEnumerable<string> inquiries, T view, string readAgain, CancellationToken ct) =>
        await Audited(http, gateway, purpose, persons, inquiries, ct) is { } unlogged
            ? Problems.Of(new Refusal(RefusalCode.Unavailable, $"{purpose}: recorded, but the answer is not shown because its read could not be "
                + $"logged ({unlogged.ProblemDetails.Detail}); read it again with GET {readAgain}"))
            : TypedResults.Ok(view);

    private static async Task<Results<Ok<ContactView>, ProblemHttpResult>> InquiryContact(string inquiryId, HttpRequest http, Gateway gateway,
        CancellationToken ct)
    {
        var (inquiry, problem) = await InquiryAsync(inquiryId, gateway, ct);
        if (inquiry is null) return problem!;
        var confirmed = inquiry.Decisions.Where(d => d.Value.Decision == MatchDecision.Confirmed).Select(d => d.Key)
            .Order(StringComparer.Ordinal).ToList();
        if (confirmed.Count == 0)
            return Problems.Of(new Refusal(RefusalCode.MatchNotConfirmed,
                $"inquiry '{inquiry.Id}' has no confirmed match: its contact is shown once a match is confirmed"));
        return await AuditedOk(http, gateway, "contact after a confirmed match", confirmed, [inquiry.Id],
            new ContactView(inquiry.Id, inquiry.Details!.Contact, confirmed), ct);
    }

    /// <summary>
    /// The desk's work, from the queue every node keeps in order as it folds the journal, as one list in the order of
    /// work: strong candidates not yet decided (best first), then confirmed matches whose family is not yet told, then
    /// inquiries nobody touched for <paramref name="days"/> days (the longest untouched first, in both).
    /// </summary>
    private static async Task<Results<Ok<Page<QueueItem>>, ProblemHttpResult>> Queue([Between(1, 365)] int? days, string? cursor,
        [Between(1, Paging.MaxLimit)] int? limit, HttpRequest http, Published<FamilyDesk> family, Gateway gateway, CancellationToken ct)
    {
        if (days is < 1 or > 365) return Problems.Invalid("'days' must be 1-365");
        var (request, refused) = Validate.Page("queue", cursor, limit);
        if (request is null) return refused!;
        var (now, stale) = (DateTimeOffset.UtcNow, days ?? 7);
        var (desk, queue) = (family.Current, family.Current.Queue);
        var strong = queue.Strong.Select(c => (Key: Paging.Key(Paging.Descending(c.Score), c.InquiryId, c.PersonId),
            Item: QueueItem.Of(desk.Inquiries[c.InquiryId], QueueSection.Strong, now, c.PersonId, c.Score)));
        var toInform = queue.ToInform.Select(t => desk.Inquiries[t.InquiryId]).Select(i => (Key: Paging.Key(Paging.Ascending(i.LastTouched), i.Id),
            Item: QueueItem.Of(i, QueueSection.ToInform, now,
                i.Decisions.Where(d => d.Value.Decision == MatchDecision.Confirmed).Select(d => d.Key).Min(StringComparer.Ordinal), null)));
        var untouched = queue.UntouchedBefore(now.AddDays(-stale)).Items.Select(t => desk.Inquiries[t.InquiryId])
            .Select(i => (Key: Paging.Key(Paging.Ascending(i.LastTouched), i.Id), Item: QueueItem.Of(i, QueueSection.Untouched, now, null, null)));
        var page = Paging.Take(strong.Concat(toInform).Concat(untouched), x => Paging.Key(((int)x.Item.Section).ToString(), x.Key), request)
            .Select(x => x.Item);
        return await AuditedOk(http, gateway, "family desk queue", page.Items.Select(q => q.PersonId).OfType<string>(),
            page.Items.Select(q => q.InquiryId), page, ct);
    }

    private static async Task<Results<Ok<IEnumerable<CandidateView>>, ProblemHttpResult>> InquiryCandidates(string inquiryId, HttpRequest http,
        Published<FamilyDesk> family, Gateway gateway, CancellationToken ct)
    {
        var (inquiry, problem) = await InquiryAsync(inquiryId, gateway, ct);
        if (inquiry is null) return problem!;
        var desk = family.Current;
        var candidates = desk.CandidatesFor(inquiry, inquiry.Erased ? Profile.None : Profile.Of(inquiry.Details!));
        return await AuditedOk(http, gateway, "candidates of an inquiry", candidates.Select(c => c.PersonId), [inquiry.Id],
            candidates.Select(c => CandidateView.Of(c, PersonView.Of(desk.Persons[c.PersonId]), null)), ct);
    }

    private static async Task<Results<Ok<InquiryView>, ProblemHttpResult>> DecideMatch(string inquiryId, HttpRequest http,
        Published<FamilyDesk> family,
        Gateway gateway, CancellationToken ct)
    {
        if (Validate.Id("inquiry id", inquiryId) is { } bad) return bad;
        var (body, invalid) = await RequestBody.ReadAsync<MatchRequest>(http);
        if (invalid is not null) return invalid;
        if (Validate.First(Validate.Id("person id", body!.PersonId), Validate.Required("decision", body.Decision)) is { } missing) return missing;
        var (person, problem) = FindPerson(body.PersonId!, family);
        if (person is null) return problem!;
        return await Send(inquiryId, new DecideMatch(inquiryId, person.Id, body.Decision!.Value, PersonRequest.Trimmed(body.Note), Caller.Of(http)),
            "match decided", http, gateway, ct);
    }

    private static async Task<Results<PushStreamHttpResult, ProblemHttpResult>> ExportMatches(HttpRequest http, Published<FamilyDesk> family,
        Gateway gateway, CancellationToken ct)
    {
        var desk = family.Current;
        var matches = desk.Inquiries.Values
            .SelectMany(i => i.Decisions.Where(d => d.Value.Decision == MatchDecision.Confirmed && desk.Persons.ContainsKey(d.Key))
                .Select(d => (Inquiry: i, Person: desk.Persons[d.Key], Decided: d.Value)))
            .OrderBy(m => m.Decided.At).ToList();
        return await Audited(http, gateway, "export of confirmed matches", matches.Select(m => m.Person.Id), matches.Select(m => m.Inquiry.Id), ct)
            is { } unlogged
            ? unlogged
            : Csv(matches.Select(m => CsvText.Row(m.Inquiry.Id, m.Inquiry.Details!.Name,
                string.Join("; ", m.Inquiry.Details.AltNames), m.Inquiry.Details.FatherName, m.Inquiry.Details.MotherName,
                m.Inquiry.Details.BirthYear, m.Inquiry.Details.HomeTown, m.Inquiry.Details.LastSeen, ContactFor(http, m.Inquiry),
                m.Person.Id, m.Person.Details.Name, string.Join("; ", m.Person.Details.AltNames), m.Person.Details.FatherName,
                m.Person.Details.BirthYear, m.Person.Details.Age, m.Person.Details.HomeTown, m.Person.Details.Condition, m.Person.Details.TakenTo,
                m.Person.Sector.Facility, m.Person.Sector.Sector, m.Person.FoundAt, m.Decided.At, m.Decided.By.Subject, m.Decided.Note)),
                "inquiry_id", "inquiry_name", "inquiry_other_names", "father_name", "mother_name", "birth_year", "home_town", "last_seen", "contact",
                "person_id", "person_name", "person_other_names", "person_father_name", "person_birth_year", "person_age", "person_home_town",
                "condition", "taken_to", "facility", "sector", "found_at", "confirmed_at", "confirmed_by", "note");
    }

    private static async Task<Results<PushStreamHttpResult, ProblemHttpResult>> ExportInquiries(HttpRequest http, Published<FamilyDesk> family,
        Gateway gateway, CancellationToken ct)
    {
        var open = family.Current.Inquiries.Values.Where(i => i.Registered && !i.Closed).OrderBy(i => i.RegisteredAt).ToList();
        return await Audited(http, gateway, "export of open inquiries", [], open.Select(i => i.Id), ct) is { } unlogged
            ? unlogged
            : Csv(open.Select(i => CsvText.Row(i.Id, i.Details!.Name, string.Join("; ", i.Details.AltNames), i.Details.FatherName,
                i.Details.MotherName, i.Details.BirthYear, i.Details.HomeTown, i.Details.LastSeen, ContactFor(http, i), i.RegisteredAt)),
                "inquiry_id", "name", "other_names", "father_name", "mother_name", "birth_year", "home_town", "last_seen", "contact",
                "registered_at");
    }

    /// <summary>
    /// The header, then each row as it is made, written in chunks: an export of 100,000 inquiries is never one string in
    /// memory. The read was logged once for the whole export before the first byte.
    /// </summary>
    private static PushStreamHttpResult Csv(IEnumerable<string> rows, params string[] header) =>
        TypedResults.Stream(async body =>
        {
            await using var csv = new StreamWriter(body, new UTF8Encoding(false), bufferSize: 64 * 1024);
            await csv.WriteAsync(CsvText.Row(header));
            foreach (var row in rows) await csv.WriteAsync(row);
        }, "text/csv; charset=utf-8");

    /// <summary>The family's contact where the caller may see it: a desk officer, on an inquiry with a confirmed match.</summary>
    private static string? ContactFor(HttpRequest http, Inquiry i) =>
        http.HttpContext.User.IsInRole(Roles.FamilyDesk) && i.HasConfirmedMatch ? i.Details!.Contact : null;

    /// <summary>
    /// Logs a read of persons' or families' records and answers null, or the problem that stops the answer:
    /// a read that could not be logged is not shown.
    /// </summary>
    public static Task<ProblemHttpResult?> Audited(HttpRequest http, Gateway gateway, string purpose, IEnumerable<string> persons,
        IEnumerable<string> inquiries, CancellationToken ct) =>
        Audited(Caller.Of(http).Subject, gateway, purpose, persons, inquiries, ct);

    /// <summary>As above, for a reader named otherwise (a printed page's ticket holder).</summary>
    public static async Task<ProblemHttpResult?> Audited(string subject, Gateway gateway, string purpose, IEnumerable<string> persons,
        IEnumerable<string> inquiries, CancellationToken ct)
    {
        var read = new RecordRead(DateTime.UtcNow.ToString("yyyy-MM-dd"), subject, purpose, [.. persons.Distinct()], [.. inquiries.Distinct()]);
        if (read.Persons.IsEmpty && read.Inquiries.IsEmpty) return null;
        return (await gateway.LogRead(read, ct)).Refusal is { } refused ? Problems.Of(refused) : null;
    }

    /// <summary>200 with <paramref name="view"/> once the read is logged; the problem if it could not be.</summary>
    public static async Task<Results<Ok<T>, ProblemHttpResult>> AuditedOk<T>(HttpRequest http, Gateway gateway, string purpose,
        IEnumerable<string> persons, IEnumerable<string> inquiries, T view, CancellationToken ct) =>
        await Audited(http, gateway, purpose, persons, inquiries, ct) is { } unlogged ? unlogged : TypedResults.Ok(view);

    private static (RecordedPerson?, ProblemHttpResult?) FindPerson(string personId, Published<FamilyDesk> family)
    {
        if (Validate.Id("person id", personId) is { } bad) return (null, bad);
        return family.Current.Persons.TryGetValue(personId, out var person)
            ? (person, null)
            : (null, Problems.Of(new Refusal(RefusalCode.PersonNotFound, $"no person '{personId}' has been recorded")));
    }

    private static async Task<(Inquiry?, ProblemHttpResult?)> InquiryAsync(string inquiryId, Gateway gateway, CancellationToken ct)
    {
        if (Validate.Id("inquiry id", inquiryId) is { } bad) return (null, bad);
        var (inquiry, refusal) = await gateway.InquiryAsync(inquiryId, ct);
        return (inquiry, refusal is null ? null : Problems.Of(refusal));
    }
}

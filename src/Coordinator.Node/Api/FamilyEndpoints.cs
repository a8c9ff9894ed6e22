using System.Text;
using Coordinator.Cluster;
using Coordinator.Cluster.Family;
using Coordinator.Cluster.Views;
using Coordinator.Domain;
using Coordinator.Domain.Family;
using Coordinator.Domain.Sectors;
using Coordinator.Node.Access;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Coordinator.Node.Api;

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
        var desk = app.MapGroup("/api").WithTags("Family desk").RequireAuthorization(Roles.Family);
        desk.MapGet("/persons", SearchPersons).WithSummary("Searches the persons found by name").Produces<PersonView[]>();
        desk.MapGet("/persons/{personId}", GetPerson).WithSummary("Reads a person's record").Produces<PersonView>();
        desk.MapPost("/persons/{personId}/corrections", CorrectPerson).WithSummary("Corrects a person's recorded details")
            .Accepts<CorrectionRequest>("application/json").Produces<PersonView>();
        desk.MapPost("/persons/{personId}/notice", DecideNotice).WithSummary("Decides whether a person appears on the facility's notice board")
            .Accepts<NoticeRequest>("application/json").Produces<PersonView>();
        desk.MapGet("/persons/{personId}/candidates", PersonCandidates).WithSummary("Lists the inquiries that may be about a person")
            .Produces<CandidateView[]>();
        desk.MapPost("/inquiries", RegisterInquiry).WithSummary("Registers a family's inquiry about a missing person")
            .Accepts<InquiryRequest>("application/json").Produces<InquiryView>(StatusCodes.Status201Created);
        desk.MapGet("/inquiries", ListInquiries).WithSummary("Lists the inquiries").Produces<InquiryView[]>();
        desk.MapGet("/inquiries/{inquiryId}", GetInquiry).WithSummary("Reads an inquiry").Produces<InquiryView>();
        desk.MapPost("/inquiries/{inquiryId}/close", CloseInquiry).WithSummary("Closes an inquiry with its outcome")
            .Accepts<CloseRequest>("application/json").Produces<InquiryView>();
        desk.MapPost("/inquiries/{inquiryId}/informed", InformFamily).WithSummary("Records that the family was informed of a confirmed match")
            .Accepts<InformedRequest>("application/json").Produces<InquiryView>();
        desk.MapPost("/inquiries/{inquiryId}/claim", (string inquiryId, HttpRequest http, Gateway gateway, CancellationToken ct) =>
            Send(inquiryId, new ClaimCase(inquiryId, Caller.Of(http)), "case claimed", http, gateway, ct))
            .WithSummary("Claims an inquiry's case for the caller for a while").Produces<InquiryView>();
        desk.MapPost("/inquiries/{inquiryId}/release", (string inquiryId, HttpRequest http, Gateway gateway, CancellationToken ct) =>
            Send(inquiryId, new ReleaseCase(inquiryId, Caller.Of(http)), "case released", http, gateway, ct))
            .WithSummary("Releases the caller's claim on an inquiry's case").Produces<InquiryView>();
        // Whom to call: the desk's officers only (not leads), once a match is confirmed, and every answer is in the read log.
        desk.MapGet("/inquiries/{inquiryId}/contact", InquiryContact).WithSummary("Reads the family's contact, once a match is confirmed")
            .RequireAuthorization(p => p.RequireRole(Roles.FamilyDesk)).Produces<ContactView>();
        desk.MapGet("/family/queue", Queue).WithSummary("Reads the desk's work queue: strong candidates, families to inform, untouched inquiries")
            .Produces<QueueView>();
        desk.MapGet("/inquiries/{inquiryId}/candidates", InquiryCandidates).WithSummary("Lists the persons found who may be the one an inquiry seeks")
            .Produces<CandidateView[]>();
        desk.MapPost("/inquiries/{inquiryId}/matches", DecideMatch)
            .WithSummary("Confirms or rejects a candidate match between an inquiry and a person")
            .Accepts<MatchRequest>("application/json").Produces<InquiryView>();
        desk.MapGet("/family/export/matches.csv", ExportMatches).WithSummary("Exports the decided matches as CSV")
            .Produces(200, contentType: "text/csv");
        desk.MapGet("/family/export/inquiries.csv", ExportInquiries).WithSummary("Exports the inquiries as CSV")
            .Produces(200, contentType: "text/csv");
        // Erasure is a lead's or an admin's decision, not the desk's: the details are gone for good.
        var erase = app.MapGroup("/api").WithTags("Family desk").RequireAuthorization(Roles.Erase);
        erase.MapPost("/persons/{personId}/erase", ErasePerson).WithSummary("Erases a person's details for good; the record stays")
            .Accepts<EraseRequest>("application/json").Produces<PersonView>();
        erase.MapPost("/inquiries/{inquiryId}/erase", EraseInquiry).WithSummary("Erases an inquiry's details for good; the record stays")
            .Accepts<EraseRequest>("application/json").Produces<InquiryView>();
        desk.MapGet("/family/stream", (HttpContext http, string? lastEventId) =>
            LiveEndpoints.Stream(http, null, lastEventId, LiveEndpoints.Audience.FamilyDesk))
            .WithSummary("Streams the family desk's changes (server-sent events)")
            .Produces(200, contentType: "text/event-stream");
        return app;
    }

    private static async Task<Results<Ok<IEnumerable<PersonView>>, ProblemHttpResult>> SearchPersons(string? query, int? limit, HttpRequest http,
        PublishedBoard board, Gateway gateway, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(query) || query.Length > PersonDetails.MaxNameLength)
            return Problems.Invalid($"'query' is required: a name or a person id, at most {PersonDetails.MaxNameLength} characters");
        var desk = board.Current.Family;
        var found = desk.Persons.TryGetValue(query.Trim(), out var byId)
            ? [byId]
            : desk.SearchPersons(query, Math.Clamp(limit ?? 50, 1, 500)).Select(x => x.Person).ToList();
        return await AuditedOk(http, gateway, "person search", found.Select(p => p.Id), [], found.Select(PersonView.Of), ct);
    }

    private static async Task<Results<Ok<PersonView>, ProblemHttpResult>> GetPerson(string personId, HttpRequest http, PublishedBoard board,
        Gateway gateway, CancellationToken ct)
    {
        var (person, problem) = FindPerson(personId, board);
        if (person is null) return problem!;
        return await AuditedOk(http, gateway, "person record", [person.Id], [], PersonView.Of(person), ct);
    }

    private static async Task<Results<Ok<PersonView>, ProblemHttpResult>> CorrectPerson(string personId, HttpRequest http, PublishedBoard board,
        Gateway gateway, CancellationToken ct)
    {
        var (person, problem) = FindPerson(personId, board);
        if (person is null) return problem!;
        var (body, invalid) = await RequestBody.ReadAsync<CorrectionRequest>(http);
        if (invalid is not null) return invalid;
        if (Validate.First(Validate.Required("person", body!.Person), Validate.Required("reason", body.Reason)) is { } missing) return missing;
        var reply = await gateway.Send<SectorRegion>(
            new CorrectPerson(person.Sector, person.Id, body.Person!.ToDetails(), body.Reason!, Caller.Of(http)), ct);
        return await Answer(reply, "person record corrected", person with { Details = body.Person!.ToDetails() }, http, gateway, ct);
    }

    private static async Task<Results<Ok<PersonView>, ProblemHttpResult>> ErasePerson(string personId, HttpRequest http, PublishedBoard board,
        Gateway gateway, CancellationToken ct)
    {
        var (person, problem) = FindPerson(personId, board);
        if (person is null) return problem!;
        var (body, invalid) = await RequestBody.ReadAsync<EraseRequest>(http);
        if (invalid is not null) return invalid;
        if (Validate.Required("reason", body!.Reason) is { } missing) return missing;
        var reply = await gateway.Send<SectorRegion>(new ErasePerson(person.Sector, person.Id, body.Reason!, Caller.Of(http)), ct);
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

    private static async Task<Results<Ok<PersonView>, ProblemHttpResult>> DecideNotice(string personId, HttpRequest http, PublishedBoard board,
        Gateway gateway, CancellationToken ct)
    {
        var (person, problem) = FindPerson(personId, board);
        if (person is null) return problem!;
        var (body, invalid) = await RequestBody.ReadAsync<NoticeRequest>(http);
        if (invalid is not null) return invalid;
        if (Validate.Required("publish", body!.Publish) is { } missing) return missing;
        var reply = await gateway.Send<SectorRegion>(new DecideNotice(person.Sector, person.Id, body.Publish!.Value, Caller.Of(http)), ct);
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
        PublishedBoard board, Gateway gateway, CancellationToken ct)
    {
        var (person, problem) = FindPerson(personId, board);
        if (person is null) return problem!;
        var desk = board.Current.Family;
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
        if ((await gateway.Send<InquiryRegion>(new RegisterInquiry(body.Id!, body.ToDetails(), Caller.Of(http)), ct)).Refusal is { } refused)
            return Problems.Of(refused);
        var (inquiry, refusal) = await gateway.InquiryAsync(body.Id!, ct);
        if (inquiry is null) return Problems.Of(refusal!);
        // Registering the same inquiry again is answered alike: a plain "retry" is right if the read cannot be logged.
        return await Audited(http, gateway, "inquiry registered", inquiry.Decisions.Keys, [inquiry.Id], ct) is { } unlogged
            ? unlogged
            : TypedResults.Created($"/api/inquiries/{inquiry.Id}", InquiryView.Of(inquiry));
    }

    private static async Task<Results<Ok<IEnumerable<InquiryView>>, ProblemHttpResult>> ListInquiries(string? status, string? query, HttpRequest http,
        PublishedBoard board, Gateway gateway, CancellationToken ct)
    {
        if (status is not (null or "open" or "closed" or "all")) return Problems.Invalid("'status' must be open, closed or all");
        var desk = board.Current.Family;
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
        var list = inquiries.OrderByDescending(i => i.RegisteredAt).ToList();
        return await AuditedOk(http, gateway, "inquiry list", [], list.Select(i => i.Id), list.Select(InquiryView.Of), ct);
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
        if ((await gateway.Send<InquiryRegion>(command, ct)).Refusal is { } refused) return Problems.Of(refused);
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
    /// The desk's work, from the view every node folds from the journal (which keeps it in order): strong candidates
    /// not yet decided, confirmed matches whose family is not yet told, and inquiries nobody touched for <paramref name="days"/> days.
    /// </summary>
    private static async Task<Results<Ok<QueueView>, ProblemHttpResult>> Queue(int? days, int? limit, HttpRequest http, PublishedBoard board,
        Gateway gateway, CancellationToken ct)
    {
        if (days is < 1 or > 365) return Problems.Invalid("'days' must be 1-365");
        if (limit is < 1 or > MaxQueue) return Problems.Invalid($"'limit' must be 1-{MaxQueue}");
        var (now, stale, take) = (DateTimeOffset.UtcNow, days ?? 7, limit ?? 100);
        var (desk, queue) = (board.Current.Family, board.Current.Family.Queue);
        var strong = queue.Strong.Take(take).Select(c => QueueItem.Of(desk.Inquiries[c.InquiryId], now, c.PersonId, c.Score));
        var toInform = queue.ToInform.Take(take).Select(t => desk.Inquiries[t.InquiryId]).Select(i => QueueItem.Of(i, now,
            i.Decisions.Where(d => d.Value.Decision == MatchDecision.Confirmed).Select(d => d.Key).Min(StringComparer.Ordinal), null));
        // The longest untouched first: with tens of thousands of inquiries, the list is the desk's order of work.
        var (untouched, untouchedCount) = queue.UntouchedBefore(now.AddDays(-stale));
        var view = new QueueView(stale, take, [.. strong], [.. toInform],
            [.. untouched.Take(take).Select(t => QueueItem.Of(desk.Inquiries[t.InquiryId], now, null, null))],
            new QueueTotals(queue.Strong.Count, queue.ToInform.Count, untouchedCount));
        var shown = view.Strong.Concat(view.ToInform).Concat(view.Untouched).ToList();
        return await AuditedOk(http, gateway, "family desk queue", shown.Select(q => q.PersonId).OfType<string>(), shown.Select(q => q.InquiryId),
            view, ct);
    }

    /// <summary>Items per list of the work queue at most.</summary>
    public const int MaxQueue = 1000;

    private static async Task<Results<Ok<IEnumerable<CandidateView>>, ProblemHttpResult>> InquiryCandidates(string inquiryId, HttpRequest http,
        PublishedBoard board, Gateway gateway, CancellationToken ct)
    {
        var (inquiry, problem) = await InquiryAsync(inquiryId, gateway, ct);
        if (inquiry is null) return problem!;
        var desk = board.Current.Family;
        var candidates = desk.CandidatesFor(inquiry, inquiry.Erased ? Profile.None : Profile.Of(inquiry.Details!));
        return await AuditedOk(http, gateway, "candidates of an inquiry", candidates.Select(c => c.PersonId), [inquiry.Id],
            candidates.Select(c => CandidateView.Of(c, PersonView.Of(desk.Persons[c.PersonId]), null)), ct);
    }

    private static async Task<Results<Ok<InquiryView>, ProblemHttpResult>> DecideMatch(string inquiryId, HttpRequest http, PublishedBoard board,
        Gateway gateway, CancellationToken ct)
    {
        if (Validate.Id("inquiry id", inquiryId) is { } bad) return bad;
        var (body, invalid) = await RequestBody.ReadAsync<MatchRequest>(http);
        if (invalid is not null) return invalid;
        if (Validate.First(Validate.Id("person id", body!.PersonId), Validate.Required("decision", body.Decision)) is { } missing) return missing;
        var (person, problem) = FindPerson(body.PersonId!, board);
        if (person is null) return problem!;
        return await Send(inquiryId, new DecideMatch(inquiryId, person.Id, body.Decision!.Value, PersonRequest.Trimmed(body.Note), Caller.Of(http)),
            "match decided", http, gateway, ct);
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> ExportMatches(HttpRequest http, PublishedBoard board, Gateway gateway,
        CancellationToken ct)
    {
        var desk = board.Current.Family;
        var matches = desk.Inquiries.Values
            .SelectMany(i => i.Decisions.Where(d => d.Value.Decision == MatchDecision.Confirmed && desk.Persons.ContainsKey(d.Key))
                .Select(d => (Inquiry: i, Person: desk.Persons[d.Key], Decided: d.Value)))
            .OrderBy(m => m.Decided.At).ToList();
        var csv = new StringBuilder(CsvText.Row("inquiry_id", "inquiry_name", "inquiry_other_names", "father_name", "mother_name", "birth_year",
            "home_town", "last_seen", "contact",
            "person_id", "person_name", "person_other_names", "person_father_name", "person_birth_year", "person_age", "person_home_town",
            "condition", "taken_to", "facility", "sector", "found_at", "confirmed_at", "confirmed_by", "note"));
        foreach (var (i, p, d) in matches)
            csv.Append(CsvText.Row(i.Id, i.Details!.Name, string.Join("; ", i.Details.AltNames), i.Details.FatherName, i.Details.MotherName,
                i.Details.BirthYear, i.Details.HomeTown, i.Details.LastSeen, ContactFor(http, i),
                p.Id, p.Details.Name, string.Join("; ", p.Details.AltNames), p.Details.FatherName, p.Details.BirthYear, p.Details.Age,
                p.Details.HomeTown, p.Details.Condition, p.Details.TakenTo, p.Sector.Facility, p.Sector.Sector, p.FoundAt,
                d.At, d.By.Subject, d.Note));
        return await Audited(http, gateway, "export of confirmed matches", matches.Select(m => m.Person.Id), matches.Select(m => m.Inquiry.Id), ct)
            is { } unlogged
            ? unlogged
            : Csv(csv);
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> ExportInquiries(HttpRequest http, PublishedBoard board, Gateway gateway,
        CancellationToken ct)
    {
        var open = board.Current.Family.Inquiries.Values.Where(i => i.Registered && !i.Closed).OrderBy(i => i.RegisteredAt).ToList();
        var csv = new StringBuilder(CsvText.Row("inquiry_id", "name", "other_names", "father_name", "mother_name", "birth_year", "home_town",
            "last_seen", "contact", "registered_at"));
        foreach (var i in open)
            csv.Append(CsvText.Row(i.Id, i.Details!.Name, string.Join("; ", i.Details.AltNames), i.Details.FatherName, i.Details.MotherName,
                i.Details.BirthYear, i.Details.HomeTown, i.Details.LastSeen, ContactFor(http, i), i.RegisteredAt));
        return await Audited(http, gateway, "export of open inquiries", [], open.Select(i => i.Id), ct) is { } unlogged ? unlogged : Csv(csv);
    }

    private static ContentHttpResult Csv(StringBuilder csv) => TypedResults.Text(csv.ToString(), "text/csv; charset=utf-8", Encoding.UTF8);

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
        return (await gateway.Send<ReadLogRegion>(read, ct)).Refusal is { } refused ? Problems.Of(refused) : null;
    }

    /// <summary>200 with <paramref name="view"/> once the read is logged; the problem if it could not be.</summary>
    public static async Task<Results<Ok<T>, ProblemHttpResult>> AuditedOk<T>(HttpRequest http, Gateway gateway, string purpose,
        IEnumerable<string> persons, IEnumerable<string> inquiries, T view, CancellationToken ct) =>
        await Audited(http, gateway, purpose, persons, inquiries, ct) is { } unlogged ? unlogged : TypedResults.Ok(view);

    private static (RecordedPerson?, ProblemHttpResult?) FindPerson(string personId, PublishedBoard board)
    {
        if (Validate.Id("person id", personId) is { } bad) return (null, bad);
        return board.Current.Family.Persons.TryGetValue(personId, out var person)
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

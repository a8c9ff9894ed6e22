using System.Text.Json;
using Akka.Persistence.Query;
using Coordinator.Cluster;
using Coordinator.Cluster.Access;
using Coordinator.Cluster.Views;
using Coordinator.Domain;
using Coordinator.Domain.Access;
using Coordinator.Domain.Facilities;
using Coordinator.Domain.Family;
using Coordinator.Domain.Sectors;
using Coordinator.Domain.Teams;
using Coordinator.Node.Family;
using Coordinator.Node.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Coordinator.Node.Access;

/// <summary>Tokens (issue, list, revoke: leads and admins) and the audit trail (leads).</summary>
public static class AccessEndpoints
{
    public static IEndpointRouteBuilder MapAccess(this IEndpointRouteBuilder app)
    {
        var tokens = app.MapGroup("/api/tokens").WithTags("Access").RequireAuthorization(Roles.IssueTokens);
        tokens.MapPost("/", Issue).WithSummary("Issues a token for a role")
            .WithDescription("A lead or an admin; only an admin issues lead or admin tokens (403 AdminOnly). A field token names its team, no other "
                + "does; expires is 30m, 12h, 7d and the like (default 12h, at most 30 days). Each call issues a new token, which is in this answer "
                + "only: the list shows its id.")
            .Accepts<IssueTokenRequest>("application/json").Produces<IssuedTokenView>(201);
        tokens.MapGet("/", List).WithSummary("Lists the tokens issued")
            .WithDescription("A lead or an admin. Every token issued, oldest first, revoked and expired ones included, with who issued it; the "
                + "tokens themselves are not shown.")
            .Produces<TokenView[]>();
        tokens.MapPost("/{tokenId}/revoke", Revoke).WithSummary("Revokes a token")
            .WithDescription("A lead or an admin; only an admin revokes lead or admin tokens (403 AdminOnly). withIssued=true also revokes every "
                + "token issued through this one (by its holder, or to phones enrolled with its codes), transitively; revoking a revoked token "
                + "records nothing. 404 TokenNotFound.")
            .Produces<TokenView>();
        app.MapGet("/api/session", Session).WithSummary("Tells who the caller's token says it is")
            .WithDescription("Any signed-in role. Answered from the token's own claims (subject, roles, team, expiry); nothing is recorded.")
            .WithTags("Access").RequireAuthorization(Roles.Read).Produces<SessionView>();
        app.MapGet("/api/audit", Audit).WithSummary("Lists recorded events, newest first, filtered by who, team or sector, a page at a time")
            .WithDescription("Lead only. Recorded events and logged reads of persons' records, newest first by journal offset, filtered by subject "
                + "(part of who, any case), team, sector (its id, or facility/sector) or person; page with next as cursor. The page is logged as a "
                + "read of the persons and inquiries it shows, erased records show as erased, and it answers 503 Unavailable until this node has "
                + "read the family desk.")
            .WithTags("Access").RequireAuthorization(Roles.Manage).Produces<Page<AuditEntry>>()
            .RequireCurrent<FamilyDesk>("family desk");
        return app;
    }

    private static async Task<Results<Created<IssuedTokenView>, ProblemHttpResult>> Issue(HttpRequest http, Gateway gateway, TokenIssuer issuer,
        CancellationToken ct)
    {
        var (body, problem) = await RequestBody.ReadAsync<IssueTokenRequest>(http);
        if (problem is not null) return problem;
        if (Roles.Parse(body!.Role) is not { } role) return Problems.Invalid("role must be lead, field, monitor, admin or familydesk");
        if (TokenIssuer.ParseLifetime(body.Expires) is not { } lifetime) return Problems.Invalid("expires must look like 30m, 12h or 7d");
        if (!Roles.MayHandle(http.HttpContext.User, role)) return AdminOnly(role);
        var id = TokenIssuer.NewId();
        var expiresAt = DateTimeOffset.UtcNow + lifetime;
        var reply = await gateway.Tokens.Send(new IssueToken(id, role, body.Team, expiresAt, Caller.Of(http)), ct);
        return reply.Refusal is { } refused
            ? Problems.Of(refused)
            : TypedResults.Created($"/api/tokens/{id}",
                new IssuedTokenView(issuer.Issue(id, role, body.Team, expiresAt), id, Roles.Name(role), body.Team, expiresAt));
    }

    private static async Task<Results<Ok<IEnumerable<TokenView>>, ProblemHttpResult>> List(Gateway gateway, CancellationToken ct) =>
        await Tokens(gateway, ct) is { } t
            ? TypedResults.Ok(t.Issued.OrderBy(x => x.Value.IssuedAt).Select(x => View(x.Key, x.Value)))
            : Problems.Of(CommandRefused.Unavailable("the token registry").Refusal);

    /// <summary>withIssued: also every token issued through this one (by its holder, or by phones enrolled with its codes), transitively.</summary>
    private static async Task<Results<Ok<TokenView>, Ok, ProblemHttpResult>> Revoke(string tokenId, bool? withIssued, HttpRequest http,
        Gateway gateway, CancellationToken ct)
    {
        if (Validate.Id("token id", tokenId) is { } invalid) return invalid;
        if (await Tokens(gateway, ct) is not { } known) return Problems.Of(CommandRefused.Unavailable("the token registry").Refusal);
        var reached = withIssued == true ? known.IssuedThrough(tokenId) : [tokenId];
        if (reached.Select(id => known.Issued.GetValueOrDefault(id))
            .FirstOrDefault(t => t is not null && !Roles.MayHandle(http.HttpContext.User, t.Role)) is { } guarded)
            return AdminOnly(guarded.Role);
        if ((await gateway.Tokens.Send(new RevokeToken(tokenId, Caller.Of(http), withIssued == true), ct)).Refusal is { } refused)
            return Problems.Of(refused);
        // Revoked either way; only the token as it is now may not be read back.
        return await Tokens(gateway, ct) is { } t ? TypedResults.Ok(View(tokenId, t.Issued[tokenId])) : TypedResults.Ok();
    }

    private static async Task<Tokens?> Tokens(Gateway gateway, CancellationToken ct) =>
        (await gateway.Tokens.Ask<Tokens>(new GetTokens(), ct)).Value;

    private static Ok<SessionView> Session(HttpContext http)
    {
        var user = http.User;
        var expires = user.FindFirst("exp")?.Value is { } exp && long.TryParse(exp, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : (DateTimeOffset?)null;
        return TypedResults.Ok(new SessionView(user.FindFirst("sub")?.Value ?? "anonymous",
            [.. user.FindAll("role").Select(c => c.Value).Distinct()], user.FindFirst(Roles.TeamClaim)?.Value, expires));
    }

    private static ProblemHttpResult AdminOnly(Role role) =>
        Problems.Problem(StatusCodes.Status403Forbidden, ProblemCode.AdminOnly, $"only an admin issues or revokes {Roles.Name(role)} tokens");

    private static TokenView View(string id, IssuedToken t) =>
        new(id, Roles.Name(t.Role), t.Team, t.ExpiresAt, t.IssuedAt, t.IssuedBy.Subject, t.RevokedAt);

    /// <summary>
    /// Every recorded event, filtered by who caused it, the team, or the sector it concerns; newest first by journal
    /// offset, so events recorded during a walk come before its cursor and shift nothing. Read back from the cursor a
    /// stretch of the journal at a time (each twice the last, from twice the page): a page reads as much of the journal
    /// as it needs to fill itself, not all of it. The records erased anywhere in the journal are the family desk's (and
    /// those erased since it last read) and show erased.
    /// </summary>
    private static async Task<Results<Ok<Page<AuditEntry>>, ProblemHttpResult>> Audit(string? subject, string? team, string? sector,
        string? person, string? cursor, [Between(1, Paging.MaxLimit)] int? limit, HttpRequest http, Gateway gateway, Published<FamilyDesk> family,
        CancellationToken ct)
    {
        var (request, refused) = Validate.Page("audit", cursor, limit);
        if (request is null) return refused!;
        var before = long.MaxValue;
        if (request.After is not null)
        {
            if (Paging.DescendingOf(request.After) is not { } shown) return Problems.Of(Paging.NotACursor);
            before = shown;
        }
        var (desk, at) = (family.Current, family.Position);
        var erased = Erased(desk, await gateway.Journal.EventsBetween(at, long.MaxValue, ct));
        var entries = new List<(EventEnvelope Envelope, string By)>();
        var (to, span) = (before, 2L * (request.Limit + 1));
        var from = Math.Max(0, (before == long.MaxValue ? at : before) - span);
        while (true)
        {
            var stretch = await gateway.Journal.EventsBetween(from, to, ct);
            entries.AddRange(stretch.Reverse()
                .Select(e => e.WithEvent(erased.Mask(e.Event)))
                .Where(e => e.Event is IEvent or PersonRecordsRead)
                .Where(e => person is null || Concerns(e.Event, person))
                .Select(e => (Envelope: e, By: By(e.Event), Team: TeamOf(e.Event), Sector: SectorOf(e.Event)))
                .Where(x => subject is null || x.By.Contains(subject, StringComparison.OrdinalIgnoreCase))
                .Where(x => team is null || x.Team == team)
                .Where(x => sector is null || x.Sector == sector || x.Sector?.EndsWith($"/{sector}") == true)
                .Select(x => (x.Envelope, x.By)));
            if (entries.Count > request.Limit || from == 0) break;
            (to, span) = (from + 1, Math.Min(span * 2, MaxStretch));
            from = Math.Max(0, from - span);
        }
        var page = Paging.Take(entries, x => Paging.Descending(((Sequence)x.Envelope.Offset).Value), request);
        // The trail carries persons' details and inquirers' contacts: the read is logged like any other.
        var persons = page.Items.SelectMany(x => x.Envelope.Event switch
        {
            PersonsFound p => p.Persons.Select(n => n.Id),
            PersonRecordCorrected c => [c.Person],
            MatchDecided d => [d.Person],
            FamilyInformed i => [i.Person],
            _ => [],
        });
        var inquiries = page.Items.Select(x => x.Envelope.Event).OfType<IInquiryEvent>().Select(i => i.Inquiry);
        return await FamilyEndpoints.AuditedOk(http, gateway, "audit trail", persons, inquiries, page
            .Select(x => new AuditEntry(((Sequence)x.Envelope.Offset).Value, x.Envelope.PersistenceId,
                OpenApiContract.NameOf(x.Envelope.Event.GetType()), At(x.Envelope.Event), x.By,
                JsonSerializer.SerializeToElement(x.Envelope.Event, x.Envelope.Event.GetType(), ApiJson.Options))), ct);
    }

    /// <summary>The most of the journal one read of the audit asks for at once.</summary>
    private const long MaxStretch = 65_536;

    private static ErasedRecords Erased(FamilyDesk desk, IEnumerable<EventEnvelope> since)
    {
        var later = ErasedRecords.In(since.Select(e => e.Event));
        return new(desk.Persons.Values.Where(p => p.Details.IsErased).Select(p => p.Id).Concat(later.Persons).ToHashSet(),
            desk.Inquiries.Values.Where(i => i.Erased).Select(i => i.Id).Concat(later.Inquiries).ToHashSet());
    }

    private static string By(object e) => e switch
    {
        IEvent x => x.By.Subject,
        PersonRecordsRead r => r.Subject,
        _ => "",
    };

    private static DateTimeOffset At(object e) => e switch
    {
        IEvent x => x.At,
        PersonRecordsRead r => r.At,
        _ => default,
    };

    /// <summary>Whether an event records, corrects, decides on or reads this person's record.</summary>
    private static bool Concerns(object e, string person) => e switch
    {
        PersonsFound p => p.Persons.Any(f => f.Id == person),
        PersonRecordCorrected c => c.Person == person,
        PersonDetailsErased x => x.Person == person,
        MatchDecided d => d.Person == person,
        FamilyInformed i => i.Person == person,
        PersonRecordsRead r => r.Persons.Contains(person),
        _ => false,
    };

    private static string? TeamOf(object e) => (e as IAboutTeam)?.Team;

    private static string? SectorOf(object e) => (e as IAboutSector)?.Sector.ToString();
}

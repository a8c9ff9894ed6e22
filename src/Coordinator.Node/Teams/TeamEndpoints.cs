using Coordinator.Cluster;
using Coordinator.Cluster.Teams;
using Coordinator.Domain;
using Coordinator.Domain.Sectors;
using Coordinator.Domain.Teams;
using Coordinator.Node.Access;
using Coordinator.Node.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Coordinator.Node.Teams;

public static class TeamEndpoints
{
    public static IEndpointRouteBuilder MapTeams(this IEndpointRouteBuilder app)
    {
        var teams = app.MapGroup("/api/teams").WithTags("Teams").RequireAuthorization(Roles.Read);
        teams.MapPost("/", Register)
            .WithSummary("Registers a team")
            .WithDescription("Lead only. The same id with the same details again records nothing and is answered alike; other details are refused "
                + "with 409 TeamAlreadyRegistered.")
            .RequireAuthorization(Roles.Manage)
            .Accepts<RegisterTeamRequest>("application/json")
            .Produces<TeamView>(201);
        teams.MapGet("/", List).WithSummary("Lists every team")
            .WithDescription("Any signed-in role. Every registered team, by id, each read from its own entity rather than from the live view.")
            .Produces<TeamView[]>();
        teams.MapGet("/{teamId}", Get).WithSummary("Reads a team")
            .WithDescription("Any signed-in role. Read from the team's own entity, not from the live view; 404 TeamNotFound.")
            .Produces<TeamView>();
        teams.MapGet("/{teamId}/briefing", Briefing)
            .WithSummary("Reads a team's briefing: the team and its assignment's place")
            .WithDescription("Any signed-in role, for any team. The team and, when it has an assignment (or one under way), the sector with its "
                + "facility and the places that contain it, outermost first, read from the entities.")
            .Produces<BriefingView>();
        teams.MapPost("/{teamId}/recall", Recall)
            .WithSummary("Recalls a team from its sector")
            .WithDescription("Lead only. The answer comes once the sector has let the team go and the team is available again; 409 TeamNotAssigned "
                + "when it has no assignment, 409 TeamBusy while another change for it is under way.")
            .RequireAuthorization(Roles.Manage)
            .Produces<TeamView>();
        teams.MapPost("/{teamId}/status", SetStatus)
            .WithSummary("Sets a team's status (resting, out of service, available)")
            .WithDescription("Lead only: Available, Resting or OutOfService, as the other statuses follow assignments (400 otherwise). 409 TeamBusy "
                + "while the team holds a sector or a change is under way; setting the status it has records nothing.")
            .RequireAuthorization(Roles.Manage)
            .Accepts<TeamStatusRequest>("application/json")
            .Produces<TeamView>();

        app.MapPost("/api/assignments", Assign)
            .WithSummary("Assigns a team to a sector")
            .WithDescription("Lead only. The team's and the sector's rules are first run on their current state, so a request they refuse is "
                + "answered without writing anything (409 TeamBusy, TeamNotAvailable, SectorNotAssignable or TeamLacksCapability). The answer comes "
                + "once the sector has accepted the team; repeating an assignment already made, or under way, is answered with its outcome.")
            .WithTags("Teams")
            .RequireAuthorization(Roles.Manage)
            .Accepts<AssignmentRequest>("application/json")
            .Produces<TeamView>(201);
        return app;
    }

    private static async Task<Results<Created<TeamView>, ProblemHttpResult>> Register(HttpRequest http, Gateway gateway, ShiftLimit shift,
        CancellationToken ct)
    {
        var (body, problem) = await RequestBody.ReadAsync<RegisterTeamRequest>(http);
        if (problem is not null) return problem;
        if (Validate.First(Validate.Id("team id", body!.Id), Validate.Required("callSign", body.CallSign), Validate.Required("size", body.Size),
                Validate.Required("capabilities", body.Capabilities)) is { } invalid) return invalid;
        var reply = await gateway.Teams.Send(new RegisterTeam(body.Id!, body.CallSign!.Trim(), body.Size!.Value, [.. body.Capabilities!],
            Caller.Of(http)), ct);
        return reply.Refusal is { } refused ? Problems.Of(refused) : await Created(gateway, shift, body.Id!, ct);
    }

    private static async Task<Results<Ok<TeamView>, ProblemHttpResult>> View(Gateway gateway, ShiftLimit shift, string id, CancellationToken ct)
    {
        var (team, refusal) = await gateway.TeamAsync(id, ct);
        return team is null ? Problems.Of(refusal!) : TypedResults.Ok(TeamView.Of(team.State, team.AsOf, shift));
    }

    /// <summary>The team as it is after the command that registered or assigned it.</summary>
    private static async Task<Results<Created<TeamView>, ProblemHttpResult>> Created(Gateway gateway, ShiftLimit shift, string id,
        CancellationToken ct)
    {
        var (team, refusal) = await gateway.TeamAsync(id, ct);
        return team is null ? Problems.Of(refusal!) : TypedResults.Created($"/api/teams/{id}", TeamView.Of(team.State, team.AsOf, shift));
    }

    private static async Task<Ok<List<TeamView>>> List(Gateway gateway, ShiftLimit shift, CancellationToken ct)
    {
        var ids = await gateway.Journal.PersistenceIdsStartingWith("team-", ct);
        var views = new List<TeamView>();
        foreach (var id in ids.Order(StringComparer.Ordinal))
            if ((await gateway.TeamAsync(id["team-".Length..], ct)).Value is { } t) views.Add(TeamView.Of(t.State, t.AsOf, shift));
        return TypedResults.Ok(views);
    }

    private static async Task<Results<Ok<TeamView>, ProblemHttpResult>> Get(string teamId, Gateway gateway, ShiftLimit shift, CancellationToken ct) =>
        Validate.Id("team id", teamId) is { } invalid ? invalid : await View(gateway, shift, teamId, ct);

    /// <summary>
    /// What a team's phone shows: the team, and where it is sent — the sector, the way there, what access it needs, what hazard is known.
    /// </summary>
    private static async Task<Results<Ok<BriefingView>, ProblemHttpResult>> Briefing(string teamId, Gateway gateway, ShiftLimit shift,
        CancellationToken ct)
    {
        if (Validate.Id("team id", teamId) is { } invalid) return invalid;
        var (team, refusal) = await gateway.TeamAsync(teamId, ct);
        if (team is null) return Problems.Of(refusal!);
        var view = TeamView.Of(team.State, team.AsOf, shift);
        if ((team.State.Assignment ?? team.State.Pending?.Sector) is not { } at) return TypedResults.Ok(new BriefingView(view, null));
        var (sector, sectorRefusal) = await gateway.SectorAsync(at, ct);
        if (sector is null) return Problems.Of(sectorRefusal!);
        var (facility, facilityRefusal) = await gateway.FacilityAsync(at.Facility, ct);
        if (facility is null) return Problems.Of(facilityRefusal!);
        var path = new List<PlaceView>();
        for (var parent = sector.Definition!.Parent;
             parent is not null && facility.Sectors.TryGetValue(parent, out var p) && path.Count < facility.Sectors.Count;
             parent = p.Parent)
            path.Insert(0, new PlaceView(p.Id, p.Name, p.Kind));
        return TypedResults.Ok(new BriefingView(view, new AssignmentBriefing(at.Facility, facility.Profile!.Name,
            SectorView.Of(sector, facility.ChildrenOf(at.Sector)), [.. path])));
    }

    /// <summary>
    /// The team and the sector decide for real, in that order. Their rules are first run here on their current
    /// state, so a request that would be refused is answered without writing anything.
    /// </summary>
    private static async Task<Results<Created<TeamView>, ProblemHttpResult>> Assign(HttpRequest http, Gateway gateway, ShiftLimit shift,
        ReportPrints prints, CancellationToken ct)
    {
        var (body, problem) = await RequestBody.ReadAsync<AssignmentRequest>(http);
        if (problem is not null) return problem;
        if (Validate.First(Validate.Id("team id", body!.TeamId), Validate.Id("facility id", body.FacilityId),
                Validate.Id("sector id", body.SectorId)) is { } invalid) return invalid;
        var sectorRef = new SectorRef(body.FacilityId!, body.SectorId!);
        var by = Caller.Of(http);

        var (team, teamRefusal) = await gateway.TeamAsync(body.TeamId!, ct);
        if (team is null) return Problems.Of(teamRefusal!);
        var (sector, sectorRefusal) = await gateway.SectorAsync(sectorRef, ct);
        if (sector is null) return Problems.Of(sectorRefusal!);
        var command = new AssignTeam(body.TeamId!, sectorRef, by);
        if (team.State.Decide(command, DateTimeOffset.UtcNow) is Decision<ITeamEvent>.Refused tr) return Problems.Of(tr.Refusal);
        if (team.State.Assignment != sectorRef &&
            sector.Decide(new AcceptTeam(sectorRef, team.State.Id, team.State.Profile!.Capabilities, by),
                DateTimeOffset.UtcNow, prints) is Decision<ISectorEvent>.Refused sr)
            return Problems.Of(sr.Refusal);

        var reply = await gateway.Teams.Send(command, ct);
        return reply.Refusal is { } refused ? Problems.Of(refused) : await Created(gateway, shift, body.TeamId!, ct);
    }

    private static async Task<Results<Ok<TeamView>, ProblemHttpResult>> Recall(string teamId, HttpRequest http, Gateway gateway, ShiftLimit shift,
        CancellationToken ct)
    {
        if (Validate.Id("team id", teamId) is { } invalid) return invalid;
        var reply = await gateway.Teams.Send(new RecallTeam(teamId, Caller.Of(http)), ct);
        return reply.Refusal is { } refused ? Problems.Of(refused) : await View(gateway, shift, teamId, ct);
    }

    private static async Task<Results<Ok<TeamView>, ProblemHttpResult>> SetStatus(string teamId, HttpRequest http, Gateway gateway, ShiftLimit shift,
        CancellationToken ct)
    {
        if (Validate.Id("team id", teamId) is { } invalid) return invalid;
        var (body, problem) = await RequestBody.ReadAsync<TeamStatusRequest>(http);
        if (problem is not null) return problem;
        if (Validate.Required("status", body!.Status) is { } missing) return missing;
        var reply = await gateway.Teams.Send(new SetTeamStatus(teamId, body.Status!.Value, Caller.Of(http)), ct);
        return reply.Refusal is { } refused ? Problems.Of(refused) : await View(gateway, shift, teamId, ct);
    }
}

using System.Collections.Immutable;
using System.Text.Json;
using Coordinator.Cluster;
using Coordinator.Cluster.Facilities;
using Coordinator.Cluster.Family;
using Coordinator.Cluster.Sectors;
using Coordinator.Cluster.Serialization;
using Coordinator.Domain;
using Coordinator.Domain.Facilities;
using Coordinator.Domain.Family;
using Coordinator.Domain.Sectors;
using Coordinator.Node.Access;
using Coordinator.Node.Family;
using Coordinator.Node.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Coordinator.Node.Facilities;

public static class FacilityEndpoints
{
    /// <summary>A layout of thousands of sectors is one request.</summary>
    public const long LayoutLimit = 16 * 1024 * 1024;

    public static IEndpointRouteBuilder MapFacilities(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/facilities").WithTags("Facilities").RequireAuthorization(Roles.Read);

        api.MapPost("/", Register)
            .WithSummary("Registers a facility")
            .WithDescription("Lead only. The same id with the same details again records nothing and is answered alike; other details are refused "
                + "with 409 FacilityAlreadyRegistered.")
            .RequireAuthorization(Roles.Manage)
            .Accepts<RegisterFacilityRequest>("application/json")
            .Produces<FacilityView>(201);
        api.MapGet("/", List).WithSummary("Lists every facility with its progress")
            .WithDescription("Any signed-in role. Every registered facility, by id, each read from its own entity rather than from the live view.")
            .Produces<FacilityView[]>();
        api.MapGet("/{facilityId}", Get).WithSummary("Reads a facility's progress, overall and per level")
            .WithDescription("Any signed-in role. Read from the facility's own entity, not from the live view; 404 FacilityNotFound.")
            .Produces<FacilityView>();
        api.MapPut("/{facilityId}/layout", DefineLayout)
            .WithSummary("Defines a facility's layout (all sectors or none; a repeat changes nothing)")
            .WithDescription("Lead only. A JSON list of sectors, or a spreadsheet's CSV (id,parent,kind,name,needs) in csv, up to 16 MiB: a sector "
                + "already defined alike is left as it is, one defined otherwise is 409 SectorConflict, and a missing parent or a cycle is 400. New "
                + "sectors revoke the facility's sign-off.")
            .RequireAuthorization(Roles.Manage)
            .Accepts<LayoutRequest>("application/json")
            .Produces<FacilityView>();
        api.MapPost("/{facilityId}/layout/preview", PreviewLayout)
            .WithSummary("Checks a layout as PUT would, recording nothing")
            .WithDescription("Lead only. The same body as PUT /api/facilities/{facilityId}/layout, checked against the facility's recorded layout: "
                + "every row with its problems, how many sectors are new, the sectors per level, and whether PUT would apply it. 404 "
                + "FacilityNotFound.")
            .RequireAuthorization(Roles.Manage)
            .Accepts<LayoutRequest>("application/json")
            .Produces<LayoutPreview>();
        api.MapPost("/{facilityId}/sectors", AddSector)
            .WithSummary("Adds one sector to a facility")
            .WithDescription("Lead only. Decided as one row of PUT /api/facilities/{facilityId}/layout: a sector already defined alike records "
                + "nothing and is answered alike, one defined otherwise is 409 SectorConflict, an unknown parent is 400. A new sector revokes the "
                + "facility's sign-off.")
            .RequireAuthorization(Roles.Manage)
            .Accepts<SectorRequest>("application/json")
            .Produces<SectorView>(201);
        api.MapGet("/{facilityId}/sectors/{sectorId}", GetSector).WithSummary("Reads a sector: status, team, needs, children")
            .WithDescription("Any signed-in role. Read from the sector's own entity and its facility's, not from the live view; 404 "
                + "FacilityNotFound or SectorNotFound.")
            .Produces<SectorView>();
        api.MapGet("/{facilityId}/sectors/{sectorId}/history", History)
            .WithSummary("Lists a sector's recorded events, oldest first, a page at a time")
            .WithDescription("Any signed-in role. The events of the sector's own journal; page with next as cursor. Persons' names and details are "
                + "withheld except from leads and the family desk, whose read is logged first (503 Unavailable if it cannot be).")
            .Produces<Page<HistoryEntry>>();
        api.MapPost("/{facilityId}/sectors/{sectorId}/reopen", Reopen)
            .WithSummary("Reopens a cleared or hazardous sector for another search")
            .WithDescription("Lead only; reason is required. Only a cleared, cleared-with-deceased or hazard sector reopens (else 409 "
                + "SectorNotReopenable, so a repeat is refused); the facility counts it unsearched again, and loses its sign-off if it had one.")
            .RequireAuthorization(Roles.Manage)
            .Accepts<ReopenRequest>("application/json")
            .Produces<SectorView>();
        api.MapPost("/{facilityId}/signoff", SignOff)
            .WithSummary("Signs a facility off once every sector is searched")
            .WithDescription("Lead only. Refused while a leaf is not cleared or a sector has work open (409 FacilityHasUnsearchedSectors), with no "
                + "sectors (409 FacilityHasNoSectors), and once signed off (409 FacilityAlreadySignedOff). A later reopening, hidden space or new "
                + "sector revokes the sign-off.")
            .RequireAuthorization(Roles.Manage)
            .Produces<FacilityView>();
        return app;
    }

    private static async Task<Results<Created<FacilityView>, ProblemHttpResult>> Register(HttpRequest http, Gateway gateway, CancellationToken ct)
    {
        var (body, problem) = await RequestBody.ReadAsync<RegisterFacilityRequest>(http);
        if (problem is not null) return problem;
        if (Validate.First(Validate.Id("facility id", body!.Id), Validate.Required("name", body.Name)) is { } invalid) return invalid;
        var reply = await gateway.Facilities.Send(new RegisterFacility(body.Id!, body.Name!.Trim(), [.. body.Aliases ?? []], body.Location,
            Caller.Of(http)), ct);
        if (reply.Refusal is { } refused) return Problems.Of(refused);
        var (facility, refusal) = await gateway.FacilityAsync(body.Id!, ct);
        return facility is null ? Problems.Of(refusal!) : TypedResults.Created($"/api/facilities/{facility.Id}", FacilityView.Of(facility));
    }

    /// <summary>The facility as it is after the command, or the refusal.</summary>
    private static async Task<Results<Ok<FacilityView>, ProblemHttpResult>> Send(string facilityId, IFacilityCommand command, Gateway gateway,
        CancellationToken ct) =>
        (await gateway.Facilities.Send(command, ct)).Refusal is { } refused ? Problems.Of(refused) : await Get(facilityId, gateway, ct);

    private static async Task<Ok<List<FacilityView>>> List(Gateway gateway, CancellationToken ct)
    {
        var ids = await gateway.Journal.PersistenceIdsStartingWith("facility-", ct);
        var views = new List<FacilityView>();
        foreach (var id in ids.Order(StringComparer.Ordinal))
            if ((await gateway.FacilityAsync(id["facility-".Length..], ct)).Value is { } f) views.Add(FacilityView.Of(f));
        return TypedResults.Ok(views);
    }

    private static async Task<Results<Ok<FacilityView>, ProblemHttpResult>> Get(string facilityId, Gateway gateway, CancellationToken ct)
    {
        if (Validate.Id("facility id", facilityId) is { } invalid) return invalid;
        var (facility, refusal) = await gateway.FacilityAsync(facilityId, ct);
        return facility is null ? Problems.Of(refusal!) : TypedResults.Ok(FacilityView.Of(facility));
    }

    private static async Task<Results<Ok<FacilityView>, ProblemHttpResult>> DefineLayout(string facilityId, HttpRequest http, Gateway gateway,
        CancellationToken ct)
    {
        var (rows, problem) = await LayoutRowsAsync(facilityId, http);
        if (problem is not null) return problem;
        if (LayoutFile.FirstProblem(rows) is { } invalid) return Problems.Of(invalid);
        return await Send(facilityId, new DefineSectors(facilityId, [.. rows.Select(r => r.Definition!)], Caller.Of(http)), gateway, ct);
    }

    /// <summary>
    /// The layout as PUT would decide it, recording nothing: every row's problem (the file's own and the layout rule's,
    /// Layout.Check, whose first problem is what PUT refuses with) and the sectors per level.
    /// </summary>
    private static async Task<Results<Ok<LayoutPreview>, ProblemHttpResult>> PreviewLayout(string facilityId, HttpRequest http, Gateway gateway,
        CancellationToken ct)
    {
        var (rows, problem) = await LayoutRowsAsync(facilityId, http);
        if (problem is not null) return problem;
        var (facility, refusal) = await gateway.FacilityAsync(facilityId, ct);
        return facility is null ? Problems.Of(refusal!) : TypedResults.Ok(LayoutPreviews.Of(facility, rows));
    }

    private static async Task<(ImmutableArray<LayoutRow> Rows, ProblemHttpResult? Problem)> LayoutRowsAsync(string facilityId, HttpRequest http)
    {
        if (Validate.Id("facility id", facilityId) is { } badId) return (default, badId);
        var (body, problem) = await RequestBody.ReadAsync<LayoutRequest>(http, LayoutLimit);
        if (problem is not null) return (default, problem);
        var (rows, unreadable) = LayoutFile.Read(body!);
        return unreadable is null ? (rows, null) : (default, Problems.Of(unreadable));
    }

    private static async Task<Results<Created<SectorView>, ProblemHttpResult>> AddSector(string facilityId, HttpRequest http, Gateway gateway,
        CancellationToken ct)
    {
        if (Validate.Id("facility id", facilityId) is { } badId) return badId;
        var (body, problem) = await RequestBody.ReadAsync<SectorRequest>(http);
        if (problem is not null) return problem;
        var (definition, invalid) = LayoutFile.Definition(body!);
        if (invalid is not null) return Problems.Of(invalid);
        if ((await gateway.Facilities.Send(new DefineSectors(facilityId, [definition!], Caller.Of(http)), ct)).Refusal is { } refused)
            return Problems.Of(refused);
        var (view, refusal) = await SectorViewAsync(gateway, new SectorRef(facilityId, definition!.Id), ct);
        return view is null ? Problems.Of(refusal!) : TypedResults.Created($"/api/facilities/{facilityId}/sectors/{view.Id}", view);
    }

    private static async Task<Results<Ok<SectorView>, ProblemHttpResult>> GetSector(string facilityId, string sectorId, Gateway gateway,
        CancellationToken ct)
    {
        if (Validate.First(Validate.Id("facility id", facilityId), Validate.Id("sector id", sectorId)) is { } invalid) return invalid;
        var (view, refusal) = await SectorViewAsync(gateway, new SectorRef(facilityId, sectorId), ct);
        return view is null ? Problems.Of(refusal!) : TypedResults.Ok(view);
    }

    /// <summary>The sector with its children from the facility's tree, or the problem that says why not.</summary>
    private static async Task<Reply<SectorView>> SectorViewAsync(Gateway gateway, SectorRef sector, CancellationToken ct)
    {
        var (facility, facilityRefusal) = await gateway.FacilityAsync(sector.Facility, ct);
        if (facility is null) return Reply<SectorView>.No(facilityRefusal!);
        var (state, refusal) = await gateway.SectorAsync(sector, ct);
        return state is null ? Reply<SectorView>.No(refusal!) : Reply<SectorView>.Yes(SectorView.Of(state, facility.ChildrenOf(sector.Sector)));
    }

    /// <summary>Oldest first by the sector's own sequence: events recorded during a walk come after its cursor, each once.</summary>
    private static async Task<Results<Ok<Page<HistoryEntry>>, ProblemHttpResult>> History(string facilityId, string sectorId, string? cursor,
        [Between(1, Paging.MaxLimit)] int? limit, HttpRequest http, Gateway gateway, CancellationToken ct)
    {
        if (Validate.First(Validate.Id("facility id", facilityId), Validate.Id("sector id", sectorId)) is { } invalid) return invalid;
        var sector = new SectorRef(facilityId, sectorId);
        // A cursor of another sector's history is another list's.
        var (request, refused) = Validate.Page($"history {sector}", cursor, limit);
        if (request is null) return refused!;
        var (state, refusal) = await gateway.SectorAsync(sector, ct);
        if (state is null) return Problems.Of(refusal!);
        var events = await gateway.Journal.EventsOf(SectorActor.PersistenceIdOf(sector), ct);
        var erased = ErasedRecords.In(events.Select(e => e.Event));
        var page = Paging.Take(events, e => Paging.Ascending(e.SequenceNr), request).Select(e => e.WithEvent(erased.Mask(e.Event)));
        var seesDetails = Roles.SeesPersonalDetails(http.HttpContext.User);
        var named = page.Items.SelectMany(e => e.Event switch
        {
            PersonsFound p => p.Persons.Select(f => f.Id),
            PersonRecordCorrected c => [c.Person],
            _ => [],
        }).Distinct().ToList();
        // Those who see names read persons' records here too: logged like any other read of them.
        if (seesDetails && await FamilyEndpoints.Audited(http, gateway, $"history of {sector}", named, [], ct) is { } failed) return failed;
        return TypedResults.Ok(page.Select(e => e.Event is ISectorEvent s
            ? new HistoryEntry(e.SequenceNr, OpenApiContract.NameOf(s.GetType()), s.At, s.By.Subject,
                JsonSerializer.SerializeToElement(seesDetails ? s : Redacted(s), s.GetType(), ApiJson.Options))
            : new HistoryEntry(e.SequenceNr, OpenApiContract.NameOf(e.Event.GetType()), DateTimeOffset.FromUnixTimeMilliseconds(e.Timestamp), "",
                e.Event)));
    }

    private static readonly PersonDetails Withheld = new("(withheld)", [], null, null, null, null, null, null, null);

    /// <summary>A sector's event as those who may not see persons' details read it: counts and ids, no names.</summary>
    private static ISectorEvent Redacted(ISectorEvent e) => e switch
    {
        PersonsFound p => p with
        {
            Details = p.Details is null ? null : "(withheld)",
            Report = p.Report with { Fingerprint = "(withheld)" },
            Persons = [.. p.Persons.Select(f => f with { Details = Withheld })],
        },
        PersonRecordCorrected c => c with { Details = Withheld, Reason = "(withheld)" },
        _ => e,
    };

    private static async Task<Results<Ok<SectorView>, ProblemHttpResult>> Reopen(string facilityId, string sectorId, HttpRequest http,
        Gateway gateway, CancellationToken ct)
    {
        if (Validate.First(Validate.Id("facility id", facilityId), Validate.Id("sector id", sectorId)) is { } invalid) return invalid;
        var (body, problem) = await RequestBody.ReadAsync<ReopenRequest>(http);
        if (problem is not null) return problem;
        if (Validate.Required("reason", body!.Reason) is { } missing) return missing;
        var sector = new SectorRef(facilityId, sectorId);
        if ((await gateway.Sectors.Send(new ReopenSector(sector, body.Reason!.Trim(), Caller.Of(http)), ct)).Refusal is { } refused)
            return Problems.Of(refused);
        return await GetSector(facilityId, sectorId, gateway, ct);
    }

    private static async Task<Results<Ok<FacilityView>, ProblemHttpResult>> SignOff(string facilityId, HttpRequest http, Gateway gateway,
        CancellationToken ct)
    {
        if (Validate.Id("facility id", facilityId) is { } invalid) return invalid;
        return await Send(facilityId, new SignOffFacility(facilityId, Caller.Of(http)), gateway, ct);
    }
}

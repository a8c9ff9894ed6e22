using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Akka.Actor;
using Akka.Hosting;
using Coordinator.Cluster;
using Coordinator.Cluster.Views;
using Coordinator.Domain;
using Coordinator.Domain.Family;
using Coordinator.Domain.Sectors;
using Coordinator.Domain.Teams;
using Coordinator.Domain.Views;
using Coordinator.Node.Access;
using Coordinator.Node.Family;
using Coordinator.Node.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Coordinator.Node.Live;

/// <summary>What monitors read: the board, sectors for the map, alerts, coverage, and the live stream of changes.</summary>
public static class LiveEndpoints
{
    public static IEndpointRouteBuilder MapLive(this IEndpointRouteBuilder app)
    {
        var live = app.MapGroup("/api").WithTags("Live progress").RequireAuthorization(Roles.Read).RequireCurrent<Board>("operations");
        live.MapGet("/board", (Published<Board> board, ShiftLimit shift) =>
                TypedResults.Ok(BoardView.Of(board.Current, DateTimeOffset.UtcNow, shift)))
            .WithSummary("Reads the board: every facility's progress, every team, the open alerts")
            .WithDescription("Any signed-in role (lead, field, monitor, admin, familydesk) may read it. It comes from this node's live view, built "
                + "from the journal, so it trails an accepted command or report by a moment; until the node has read the journal at start it "
                + "answers 503 Unavailable with Retry-After.")
            .Produces<BoardView>();
        live.MapGet("/alerts", Alerts).WithSummary("Lists the alerts, newest first, or only those still open, a page at a time")
            .WithDescription("Any signed-in role may read them, from this node's live view. Without open=true it lists the last 1,000 alerts "
                + "raised, acknowledged ones included; open=true lists only the unacknowledged ones whose condition still stands, with the shift "
                + "alerts (id 0) the clock raises. Page with the answer's next as cursor (limit 1-1000, default 100).")
            .Produces<Page<Alert>>();
        app.MapPost("/api/alerts/acknowledge", Acknowledge)
            .WithSummary("Acknowledges an alert, so it leaves the open alerts")
            .WithDescription("Lead only. The alert must be on this node's live view (404 AlertNotFound, also for one older than the last 1,000) and "
                + "not yet acknowledged (409 AlertAlreadyAcknowledged, so a repeat is refused); the acknowledgement is recorded on the alert's "
                + "sector. The answer shows the alert acknowledged at once; the board and the alert list show it once the live view has read the "
                + "event, a moment later.")
            .WithTags("Live progress")
            .RequireAuthorization(Roles.Manage)
            .RequireCurrent<Board>("operations")
            .Accepts<AcknowledgeRequest>("application/json").Produces<Alert>();
        live.MapGet("/facilities/{facilityId}/sectors",
            Results<Ok<IEnumerable<LiveSector>>, ProblemHttpResult> (string facilityId, Published<Board> board) =>
        {
            var (f, problem) = FacilityOf(facilityId, board.Current);
            return f is null ? problem! : TypedResults.Ok<IEnumerable<LiveSector>>(f.Sectors.Values.OrderBy(s => s.Id, StringComparer.Ordinal));
        }).WithSummary("Lists a facility's sectors as monitors see them")
            .WithDescription("Any signed-in role may read them, ordered by sector id, from this node's live view, which trails an accepted report "
                + "by a moment. 404 FacilityNotFound for a facility the view does not hold.")
            .Produces<LiveSector[]>();
        live.MapGet("/facilities/{facilityId}/sectors/{sectorId}/suggestions", Suggest)
            .WithSummary("Suggests teams for a sector, best first, with why and why not")
            .WithDescription("Any signed-in role may ask; nothing is recorded. Teams are ranked from this node's live view, each with the reasons "
                + "for it and what bars it, and a sector that takes no team in its status is named in sectorRefusal rather than refused. The "
                + "assignment itself is made, and decided again, by POST /api/assignments; 404 FacilityNotFound or SectorNotFound.")
            .Produces<SuggestionsView>();
        live.MapGet("/facilities/{facilityId}/outstanding",
            Results<Ok<OutstandingView>, ProblemHttpResult> (string facilityId, Published<Board> board) =>
        {
            var (f, problem) = FacilityOf(facilityId, board.Current);
            return f is null ? problem! : TypedResults.Ok(OutstandingView.Of(f));
        }).WithSummary("Lists what keeps a facility from sign-off")
            .WithDescription("Any signed-in role may read it, from this node's live view: the leaves not yet cleared and the sectors with work "
                + "open, grouped by status in the order a lead acts on them (blocked, hazard, unsearched, assigned, in progress). No groups when "
                + "nothing stands in the way of POST /api/facilities/{facilityId}/signoff; 404 FacilityNotFound.")
            .Produces<OutstandingView>();
        live.MapGet("/facilities/{facilityId}/coverage", Coverage)
            .WithSummary("Reads a facility's coverage record: every visit per sector (JSON or CSV)")
            .WithDescription("Any signed-in role may read it, from this node's live view: each sector of the facility, level by level, with every "
                + "visit to it and the marking for its door. CSV when format=csv or the Accept header asks for text/csv, JSON otherwise; sector= "
                + "keeps one sector's row. 404 FacilityNotFound.")
            .Produces<CoverageRow[]>()
            .Produces(200, contentType: "text/csv");
        live.MapGet("/stream", (HttpContext http, string? facility, string? lastEventId) => Stream(http, facility, lastEventId, Audience.Monitors))
            .WithSummary("Streams the live changes (server-sent events)")
            .WithDescription("Any signed-in role may open it, with the bearer token or a single-use ticket from POST /api/stream/ticket. Each event "
                + "is a change to this node's live view; facility= keeps the changes to that facility and to the teams working in it. A token holds "
                + "a limited number of streams at once (429 TooManyStreams), and a Last-Event-ID that is not offset-index is 400.")
            .Produces(200, contentType: "text/event-stream");
        return app;
    }

    /// <summary>
    /// Newest first (raised at, then id; a shift alert, id 0, by its kind and team): alerts raised during a walk come
    /// before its cursor, so they shift nothing.
    /// </summary>
    private static Results<Ok<Page<Alert>>, ProblemHttpResult> Alerts(bool? open, string? cursor,
        [Between(1, Paging.MaxLimit)] int? limit, Published<Board> board, ShiftLimit shift)
    {
        var (request, refused) = Validate.Page("alerts", cursor, limit);
        if (request is null) return refused!;
        var b = board.Current;
        return TypedResults.Ok(Paging.Take(open == true ? b.OpenAlerts(DateTimeOffset.UtcNow, shift) : b.Alerts,
            a => Paging.Key(Paging.Descending(a.At), Paging.Descending(a.Id), a.Kind.ToString(), a.Team ?? ""), request));
    }

    /// <summary>Read from the live board, so a monitor sees what a lead sees; the assignment itself still asks the team and the sector.</summary>
    private static Results<Ok<SuggestionsView>, ProblemHttpResult> Suggest(string facilityId, string sectorId, Published<Board> board)
    {
        if (Validate.First(Validate.Id("facility id", facilityId), Validate.Id("sector id", sectorId)) is { } invalid) return invalid;
        var (list, refusal) = Coordinator.Domain.Teams.Suggestions.For(board.Current, new SectorRef(facilityId, sectorId), DateTimeOffset.UtcNow);
        return list is null ? Problems.Of(refusal!) : TypedResults.Ok(SuggestionsView.Of(list));
    }

    private static Results<Ok<List<CoverageRow>>, ContentHttpResult, ProblemHttpResult> Coverage(string facilityId,
        [OneOf("json", "csv")] string? format, string? sector, HttpRequest http, Published<Board> board)
    {
        if (format is not (null or "json" or "csv")) return Problems.Invalid("'format' must be json or csv");
        var b = board.Current;
        if (FacilityOf(facilityId, b).Problem is { } problem) return problem;
        var rows = CoverageRow.Of(b, facilityId).Where(r => sector is null || r.Sector == sector).ToList();
        var csv = format == "csv" || http.Headers.Accept.Any(a => a?.Contains("text/csv") == true);
        return csv ? TypedResults.Text(CoverageRow.Csv(rows), "text/csv; charset=utf-8", Encoding.UTF8) : TypedResults.Ok(rows);
    }

    /// <summary>A facility as the live board has it, or the problem: an invalid id, or one not registered.</summary>
    private static (LiveFacility? Facility, ProblemHttpResult? Problem) FacilityOf(string facilityId, Board board) =>
        Validate.Id("facility id", facilityId) is { } invalid ? (null, invalid)
        : board.Facilities.TryGetValue(facilityId, out var f) ? (f, null)
        : (null, Problems.Of(new Refusal(RefusalCode.FacilityNotFound, $"facility '{facilityId}' is not registered")));

    /// <summary>
    /// Server-sent events: one per change, id "offset-index". A client resumes with Last-Event-ID (header, or
    /// lastEventId in the query for the first connection) and gets exactly what it missed; with no id it gets
    /// what happens from now on. A comment every KeepAlive keeps proxies from closing the connection.
    /// </summary>
    public static async Task Stream(HttpContext http, string? facility, string? lastEventId, Audience audience)
    {
        var (registry, system, settings) = (http.RequestServices.GetRequiredService<IActorRegistry>(),
            http.RequestServices.GetRequiredService<ActorSystem>(), http.RequestServices.GetRequiredService<StreamSettings>());
        var from = ParseEventId(http.Request.Headers["Last-Event-ID"].FirstOrDefault() ?? lastEventId);
        if (from is null && (http.Request.Headers.ContainsKey("Last-Event-ID") || lastEventId is not null))
        {
            await Problems.Invalid("Last-Event-ID must look like 123-0").ExecuteAsync(http);
            return;
        }
        using var lease = http.RequestServices.GetRequiredService<StreamAccess>().Open(http.User);
        if (lease is null)
        {
            await Problems.Problem(StatusCodes.Status429TooManyRequests, ProblemCode.TooManyStreams,
                $"this token has {settings.MaxPerToken} live streams open already: close one (another tab or phone) first").ExecuteAsync(http);
            return;
        }
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers["X-Accel-Buffering"] = "no";

        var channel = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
        var subscriber = system.ActorOf(Props.Create(() => new StreamSubscriber(channel.Writer)));
        using var ends = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted,
            http.RequestServices.GetRequiredService<NodeShutdown>().Streams, lease.Ended);
        var ct = ends.Token;
        var audienceTag = new KeyValuePair<string, object?>("audience", audience.ToString());
        Telemetry.StreamClients.Add(1, audienceTag);
        try
        {
            var projection = audience == Audience.FamilyDesk ? registry.Get<ProjectionActor<FamilyDesk>>() : registry.Get<ProjectionActor<Board>>();
            projection.Tell(from ?? Subscribe.FromNow, subscriber);
            await http.Response.WriteAsync(": connected\n\n", ct);
            await http.Response.Body.FlushAsync(ct);
            while (!ct.IsCancellationRequested)
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
                wait.CancelAfter(settings.KeepAlive);
                object message;
                try { message = await channel.Reader.ReadAsync(wait.Token); }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    await http.Response.WriteAsync(": keep-alive\n\n", ct);
                    await http.Response.Body.FlushAsync(ct);
                    continue;
                }
                var text = message switch
                {
                    LiveBatch batch => Format(batch, facility),
                    ResumeTooOld old => $"event: reset\ndata: {{\"oldestKept\":{old.OldestKept}}}\n\n",
                    _ => "",
                };
                if (text.Length == 0) continue;
                // The desk's stream names persons and inquirers: logged before it is sent, or not sent (the client
                // reconnects with its Last-Event-ID and is sent it again once the log answers).
                if (audience == Audience.FamilyDesk && message is LiveBatch named && await LogRead(http, named, ct) is not null) return;
                await http.Response.WriteAsync(text, ct);
                await http.Response.Body.FlushAsync(ct);
                if (message is ResumeTooOld) return;
            }
        }
        catch (OperationCanceledException) { } // the client went away, the node is leaving, or the token ended
        finally
        {
            system.Stop(subscriber);
            Telemetry.StreamClients.Add(-1, audienceTag);
        }
        // Told why, a client signs in again instead of reconnecting with a token that will be refused.
        if (lease.Reason is { } reason && !http.RequestAborted.IsCancellationRequested)
        {
            try
            {
                await http.Response.WriteAsync($"event: ended\ndata: {{\"reason\":\"{reason}\"}}\n\n", http.RequestAborted);
                await http.Response.Body.FlushAsync(http.RequestAborted);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException) { } // gone already
        }
    }

    private static Task<ProblemHttpResult?> LogRead(HttpContext http, LiveBatch batch, CancellationToken ct)
    {
        var family = batch.Changes.Select(c => c.Data).ToList();
        return FamilyEndpoints.Audited(http.Request, http.RequestServices.GetRequiredService<Gateway>(), "family desk stream",
            family.OfType<CandidateAlert>().Select(c => c.Person),
            family.OfType<CandidateAlert>().Select(c => c.Inquiry).Concat(family.OfType<Inquiry>().Select(i => i.Id)), ct);
    }

    /// <summary>
    /// A lead has seen an alert: recorded on the sector it is about (who and when), so it leaves the open alerts on
    /// every node as their boards read the event. An alert this node's board does not hold is unknown.
    /// </summary>
    private static async Task<Results<Ok<Alert>, ProblemHttpResult>> Acknowledge(HttpRequest http, Gateway gateway, Published<Board> board,
        CancellationToken ct)
    {
        var (body, problem) = await RequestBody.ReadAsync<AcknowledgeRequest>(http);
        if (problem is not null) return problem;
        if (Validate.Required("alert", body!.Alert) is { } missing) return missing;
        if (board.Current.Alerts.FirstOrDefault(a => a.Id == body.Alert) is not { } alert)
            return Problems.Of(new Refusal(RefusalCode.AlertNotFound,
                $"alert {body.Alert} is not on the board (unknown, or older than the last {Board.MaxAlerts})"));
        if (alert.AcknowledgedBy is not null)
            return Problems.Of(new Refusal(RefusalCode.AlertAlreadyAcknowledged, $"alert {alert.Id} was acknowledged by {alert.AcknowledgedBy}"));
        var by = Caller.Of(http);
        var reply = await gateway.Sectors.Send(new AcknowledgeAlert(new SectorRef(alert.Facility, alert.Sector), alert.Id, by), ct);
        return reply.ThenOk(_ => alert with { AcknowledgedBy = by.Subject, AcknowledgedAt = DateTimeOffset.UtcNow });
    }

    private static Subscribe? ParseEventId(string? id)
    {
        if (id is null) return null;
        var parts = id.Split('-');
        return parts.Length == 2 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var offset)
                                 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            ? new Subscribe(offset, index)
            : null;
    }

    /// <summary>Who a stream is for: the operations projection's changes, or the family desk's (they name persons).</summary>
    public enum Audience { Monitors, FamilyDesk }

    private static string Format(LiveBatch batch, string? facility)
    {
        var text = new StringBuilder();
        for (var i = 0; i < batch.Changes.Count; i++)
        {
            var c = batch.Changes[i];
            if (facility is not null && c.Facility != facility && !(c.Data is LiveTeam t && t.Sector?.Facility == facility)) continue;
            var data = JsonSerializer.Serialize(new StreamEvent(c.Kind, c.Facility, c.Sector, c.Team, c.Data), ApiJson.Options);
            text.Append("id: ").Append(batch.Offset).Append('-').Append(batch.FirstIndex + i).Append('\n')
                .Append("event: ").Append(ChangeKinds.Name(c.Kind)).Append('\n')
                .Append("data: ").Append(data).Append("\n\n");
        }
        return text.ToString();
    }
}

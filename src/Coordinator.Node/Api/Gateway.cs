using Akka.Actor;
using Akka.Hosting;
using Coordinator.Cluster;
using Coordinator.Cluster.Facilities;
using Coordinator.Cluster.Hosting;
using Coordinator.Cluster.Sectors;
using Coordinator.Cluster.Teams;
using Coordinator.Domain;
using Coordinator.Domain.Access;
using Coordinator.Domain.Facilities;
using Coordinator.Domain.Family;
using Coordinator.Domain.Sectors;
using Coordinator.Domain.Teams;

namespace Coordinator.Node.Api;

/// <summary>The HTTP layer's way into the cluster: asks with a deadline, and a missing answer becomes Unavailable.</summary>
public sealed class Gateway(IActorRegistry registry, JournalReader journal, JournalWatch watch, ApiSettings settings, NodeShutdown shutdown)
{
    public JournalReader Journal { get; } = journal;

    public async Task<object> Ask<TRegion>(object message, CancellationToken ct)
    {
        // While the journal's database is known to be down, a write cannot be recorded: say so now.
        if (!watch.Reachable && message is IFacilityCommand or ISectorCommand or ITeamCommand or ITokenCommand or IInquiryCommand or RecordRead)
            return new CommandRefused(new Refusal(RefusalCode.Unavailable, "the journal's database does not answer: nothing was recorded; retry with the same ids"));
        if (shutdown.Stopping)
            return new CommandRefused(new Refusal(RefusalCode.Unavailable, "this node is leaving the cluster: nothing was recorded; send the request again through another node"));
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        object reply;
        using var abandoned = CancellationTokenSource.CreateLinkedTokenSource(ct, shutdown.Abandoned);
        try
        {
            reply = await registry.Get<TRegion>().Ask<object>(message, settings.AskTimeout, abandoned.Token);
        }
        catch (AskTimeoutException)
        {
            reply = CommandRefused.Unavailable("the coordinator");
        }
        catch (OperationCanceledException) when (shutdown.Abandoned.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            reply = new CommandRefused(new Refusal(RefusalCode.Unavailable,
                "this node left the cluster before the answer came; the request may have been recorded: send it again with the same ids through another node (a repeat is applied once)"));
        }
        Telemetry.CommandDuration.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds,
            new KeyValuePair<string, object?>("region", typeof(TRegion).Name), new KeyValuePair<string, object?>("outcome", reply is CommandRefused r ? r.Refusal.Code.ToString() : "ok"));
        return reply;
    }

    /// <summary>A registered facility, or the refusal that says why not.</summary>
    public async Task<(Facility? Facility, Refusal? Refusal)> FacilityAsync(string id, CancellationToken ct) =>
        await Ask<FacilityRegion>(new GetFacility(id), ct) switch
        {
            Facility { Registered: true } f => (f, null),
            Facility => (null, new Refusal(RefusalCode.FacilityNotFound, $"facility '{id}' is not registered")),
            CommandRefused r => (null, r.Refusal),
            var other => (null, CommandRefused.Unavailable($"facility '{id}' (answered {other.GetType().Name})").Refusal),
        };

    public async Task<(Sector? Sector, Refusal? Refusal)> SectorAsync(SectorRef sector, CancellationToken ct) =>
        await Ask<SectorRegion>(new GetSector(sector), ct) switch
        {
            Sector s => (s, null),
            CommandRefused r => (null, r.Refusal),
            var other => (null, CommandRefused.Unavailable($"sector '{sector}' (answered {other.GetType().Name})").Refusal),
        };

    public async Task<(TeamSnapshot? Team, Refusal? Refusal)> TeamAsync(string id, CancellationToken ct) =>
        await Ask<TeamRegion>(new GetTeam(id), ct) switch
        {
            TeamSnapshot { State.Registered: true } t => (t, null),
            TeamSnapshot => (null, new Refusal(RefusalCode.TeamNotFound, $"team '{id}' is not registered")),
            CommandRefused r => (null, r.Refusal),
            var other => (null, CommandRefused.Unavailable($"team '{id}' (answered {other.GetType().Name})").Refusal),
        };

    /// <summary>Turns a command's reply into a response: accepted → <paramref name="onAccepted"/>, refused → a problem.</summary>
    public static IResult Outcome(object reply, Func<CommandAccepted, IResult> onAccepted) =>
        reply is CommandAccepted a ? onAccepted(a) : Refused(reply);

    /// <summary>The problem for a reply that is not an acceptance.</summary>
    public static IResult Refused(object reply) => reply is CommandRefused r ? Problems.Of(r.Refusal) : Problems.Unexpected(reply);
}

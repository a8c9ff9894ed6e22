using Akka.Actor;
using Akka.Hosting;
using Coordinator.Cluster;
using Coordinator.Cluster.Access;
using Coordinator.Cluster.Facilities;
using Coordinator.Cluster.Family;
using Coordinator.Cluster.Hosting;
using Coordinator.Cluster.Sectors;
using Coordinator.Cluster.Teams;
using Coordinator.Domain;
using Coordinator.Domain.Access;
using Coordinator.Domain.Facilities;
using Coordinator.Domain.Family;
using Coordinator.Domain.Sectors;
using Coordinator.Domain.Teams;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Coordinator.Node.Http;

/// <summary>The HTTP layer's way into the cluster: asks with a deadline, and a missing answer becomes Unavailable.</summary>
/// <remarks>
/// Entities are reached through one <see cref="Region{TKey,TCommand,TQuery}"/> per shard region, typed by the messages that
/// region routes: a command for another region is a compile error, not a timeout at run time.
/// </remarks>
public sealed class Gateway
{
    private readonly IActorRegistry _registry;
    private readonly JournalWatch _watch;
    private readonly ApiSettings _settings;
    private readonly NodeShutdown _shutdown;

    public Gateway(IActorRegistry registry, JournalReader journal, JournalWatch watch, ApiSettings settings, NodeShutdown shutdown)
    {
        (_registry, Journal, _watch, _settings, _shutdown) = (registry, journal, watch, settings, shutdown);
        Facilities = new(this);
        Sectors = new(this);
        Teams = new(this);
        Tokens = new(this);
        Inquiries = new(this);
    }

    public JournalReader Journal { get; }
    public Region<FacilityRegion, IFacilityCommand, IFacilityMessage> Facilities { get; }
    public Region<SectorRegion, ISectorCommand, ISectorMessage> Sectors { get; }
    public Region<TeamRegion, ITeamCommand, ITeamMessage> Teams { get; }
    public Region<TokenRegion, ITokenCommand, ITokenMessage> Tokens { get; }
    public Region<InquiryRegion, IInquiryCommand, IInquiryMessage> Inquiries { get; }

    /// <summary>Logs who is shown which persons' and inquiries' details, before they are shown.</summary>
    public Task<Reply<CommandAccepted>> LogRead(RecordRead read, CancellationToken ct) => Send<ReadLogRegion>(read, ct);

    /// <summary>A command: accepted (the entity's version and status after it) or refused. Every command is a write.</summary>
    private Task<Reply<CommandAccepted>> Send<TRegion>(object command, CancellationToken ct) =>
        // While the journal's database is known to be down, a write cannot be recorded: say so now.
        _watch.Reachable
            ? Ask<TRegion, CommandAccepted>(command, ct)
            : Task.FromResult(Reply<CommandAccepted>.No(new Refusal(RefusalCode.Unavailable,
                "the journal's database does not answer: nothing was recorded; retry with the same ids")));

    /// <summary>A question to an entity, answered with <typeparamref name="TReply"/>; any other answer is the refusal.</summary>
    private async Task<Reply<TReply>> Ask<TRegion, TReply>(object message, CancellationToken ct) where TReply : class
    {
        if (_shutdown.Stopping)
            return Reply<TReply>.No(new Refusal(RefusalCode.Unavailable,
                "this node is leaving the cluster: nothing was recorded; send the request again through another node"));
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        Reply<TReply> reply;
        using var abandoned = CancellationTokenSource.CreateLinkedTokenSource(ct, _shutdown.Abandoned);
        try
        {
            reply = await _registry.Get<TRegion>().Ask<object>(message, _settings.AskTimeout, abandoned.Token) switch
            {
                TReply answer => Reply<TReply>.Yes(answer),
                CommandRefused r => Reply<TReply>.No(r.Refusal),
                var other => Reply<TReply>.No(CommandRefused.Unavailable($"the coordinator (answered {other.GetType().Name})").Refusal),
            };
        }
        catch (AskTimeoutException)
        {
            reply = Reply<TReply>.No(CommandRefused.Unavailable("the coordinator").Refusal);
        }
        catch (OperationCanceledException) when (_shutdown.Abandoned.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            reply = Reply<TReply>.No(new Refusal(RefusalCode.Unavailable,
                "this node left the cluster before the answer came; the request may have been recorded: "
                + "send it again with the same ids through another node (a repeat is applied once)"));
        }
        Telemetry.CommandDuration.Record(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds,
            new KeyValuePair<string, object?>("region", typeof(TRegion).Name),
            new KeyValuePair<string, object?>("outcome", reply.Refusal?.Code.ToString() ?? "ok"));
        return reply;
    }

    /// <summary>A registered facility, or the refusal that says why not.</summary>
    public async Task<Reply<Facility>> FacilityAsync(string id, CancellationToken ct) =>
        (await Facilities.Ask<Facility>(new GetFacility(id), ct))
            .Where(f => f.Registered, () => new(RefusalCode.FacilityNotFound, $"facility '{id}' is not registered"));

    public Task<Reply<Sector>> SectorAsync(SectorRef sector, CancellationToken ct) => Sectors.Ask<Sector>(new GetSector(sector), ct);

    public async Task<Reply<TeamSnapshot>> TeamAsync(string id, CancellationToken ct) =>
        (await Teams.Ask<TeamSnapshot>(new GetTeam(id), ct))
            .Where(t => t.State.Registered, () => new(RefusalCode.TeamNotFound, $"team '{id}' is not registered"));

    public async Task<Reply<Inquiry>> InquiryAsync(string id, CancellationToken ct) =>
        (await Inquiries.Ask<Inquiry>(new GetInquiry(id), ct))
            .Where(i => i.Registered, () => new(RefusalCode.InquiryNotFound, $"inquiry '{id}' is not registered"));

    /// <summary>One shard region as the HTTP layer reaches it: only its own commands and questions compile.</summary>
    public sealed class Region<TKey, TCommand, TQuery>(Gateway gateway) where TKey : IRegion<TCommand, TQuery>
        where TCommand : class where TQuery : class
    {
        /// <inheritdoc cref="Gateway.Send{TRegion}"/>
        public Task<Reply<CommandAccepted>> Send(TCommand command, CancellationToken ct) => gateway.Send<TKey>(command, ct);

        /// <inheritdoc cref="Gateway.Ask{TRegion,TReply}"/>
        public Task<Reply<TReply>> Ask<TReply>(TQuery question, CancellationToken ct) where TReply : class => gateway.Ask<TKey, TReply>(question, ct);

        /// <summary>A message that wants no answer.</summary>
        public void Tell(TQuery message) => gateway._registry.Get<TKey>().Tell(message);
    }
}

/// <summary>An entity's answer as the HTTP layer reads it: the value asked for, or the refusal that says why not.</summary>
public sealed record Reply<T>(T? Value, Refusal? Refusal) where T : class
{
    public static Reply<T> Yes(T value) => new(value, null);
    public static Reply<T> No(Refusal refusal) => new(null, refusal);

    /// <summary>The value when it passes <paramref name="test"/>; otherwise the refusal made by <paramref name="otherwise"/>.</summary>
    public Reply<T> Where(Func<T, bool> test, Func<Refusal> otherwise) => Value is null || test(Value) ? this : No(otherwise());

    /// <summary>The response: 200 with <paramref name="view"/> of the value, or the refusal as a problem.</summary>
    public Results<Ok<TView>, ProblemHttpResult> ThenOk<TView>(Func<T, TView> view) =>
        Value is { } value ? TypedResults.Ok(view(value)) : Problems.Of(Refusal!);
}

using Akka.Actor;
using Akka.Hosting;
using Akka.Persistence;
using Coordinator.Cluster.Sectors;
using Coordinator.Domain;
using Coordinator.Domain.Sectors;
using Coordinator.Domain.Teams;

namespace Coordinator.Cluster.Teams;

/// <summary>
/// The shell around <see cref="Team"/>, and the owner of the two-step changes it shares with a sector:
/// it records its own step first (so it holds the sector), then asks the sector until it answers,
/// after a restart too. Whoever asked for the change is answered when the sector has.
/// </summary>
public sealed class TeamActor : EntityActor, IWithTimers
{
    private sealed record RetryPending;
    private sealed record CheckSector;
    /// <summary>The sector gave no usable answer to a step: the retry timer asks again.</summary>
    private sealed record SectorSilent;
    /// <summary>An assignment refused as busy, tried once more after asking the held sector whether it let go.</summary>
    private sealed record AssignAfterCheck(AssignTeam Command, SectorReported? Update);

    private readonly IActorRef _sectors;
    private readonly List<IActorRef> _waiting = [];
    private Team _state;

    public override string PersistenceId { get; }
    public ITimerScheduler Timers { get; set; } = null!;

    public static string PersistenceIdOf(string team) => $"team-{team}";

    public TeamActor(string team, EntitySettings settings, IActorRegistry registry) : base(settings)
    {
        _sectors = registry.Get<SectorRegion>();
        _state = Team.Empty(team);
        PersistenceId = PersistenceIdOf(team);

        Recover<SnapshotOffer>(o => _state = (Team)o.Snapshot);
        Recover<ITeamEvent>(e => _state = _state.Evolve(e));

        Command<ITeamCommand>(c => Handle(c));
        Command<SectorSilent>(_ => { });
        Command<AssignAfterCheck>(a =>
        {
            if (a.Update is not { } update)
            {
                Handle(a.Command, recheck: false);
                return;
            }
            // What the sector said is recorded first; the assignment is decided on it, as the next message.
            Self.Tell(update, ActorRefs.NoSender);
            Self.Forward(a with { Update = null });
        });
        Command<GetTeam>(_ => Sender.Tell(new TeamSnapshot(_state, DateTimeOffset.UtcNow)));
        Command<RetryPending>(_ => AskSector());
        Command<CheckSector>(_ =>
        {
            if (_state.Pending is null && _state.Assignment is { } s) _sectors.Tell(new CheckTeam(s, _state.Id));
        });
        CommandHousekeeping();
    }

    protected override void OnReplaySuccess() => FollowUp();

    private void Handle(ITeamCommand command, bool recheck = true)
    {
        var replyTo = Sender;
        switch (_state.Decide(command, DateTimeOffset.UtcNow))
        {
            // The sector may have freed this team a moment ago (cleared, blocked) and its word be on the way.
            case Decision<ITeamEvent>.Refused { Refusal.Code: RefusalCode.TeamBusy } when recheck && command is AssignTeam assign
                                                                                           && _state is { Pending: null, Assignment: { } held }:
                _sectors.Ask<object>(new CheckTeam(held, _state.Id), Settings.AskTimeout).PipeTo(Self, replyTo,
                    success: reply => new AssignAfterCheck(assign, reply as SectorReported),
                    failure: _ => new AssignAfterCheck(assign, null));
                break;
            case Decision<ITeamEvent>.Refused r:
                replyTo.Tell(new CommandRefused(r.Refusal));
                break;
            case Decision<ITeamEvent>.Accepted { Events.Count: 0 } when command is AssignTeam && _state.Pending is not null:
                _waiting.Add(replyTo); // the same assignment is under way: answer with its outcome
                break;
            case Decision<ITeamEvent>.Accepted { Events.Count: 0 }:
                if (command is not SectorAnswered and not SectorReported) replyTo.Tell(Accepted());
                break;
            case Decision<ITeamEvent>.Accepted a:
                Store(a.Events, e => _state = _state.Evolve(e), command is SectorAnswered or SectorReported ? null : replyTo, () =>
                {
                    if (command is AssignTeam or RecallTeam) _waiting.Add(replyTo);
                    else if (command is not SectorAnswered and not SectorReported) replyTo.Tell(Accepted());
                    if (_state.Pending is null) AnswerWaiting(a.Events);
                    FollowUp();
                    SnapshotIfDue(a.Events.Count, _state);
                });
                break;
        }
    }

    /// <summary>Whatever the state calls for next: finish a pending step, or keep checking the held sector.</summary>
    private void FollowUp()
    {
        Timers.CancelAll();
        if (_state.Pending is not null) AskSector();
        else if (_state.Assignment is not null)
            Timers.StartPeriodicTimer(nameof(CheckSector), new CheckSector(), TimeSpan.Zero, Settings.TeamCheckEvery);
    }

    private void AskSector()
    {
        if (_state.Pending is not { } pending) return;
        ISectorCommand step = pending.Step == PendingStep.Assign
            ? new AcceptTeam(pending.Sector, _state.Id, _state.Profile!.Capabilities, pending.By)
            : new ReleaseTeam(pending.Sector, _state.Id, pending.By);
        var id = _state.Id;
        _sectors.Ask<object>(step, Settings.AskTimeout).PipeTo(Self,
            success: reply => reply switch
            {
                CommandAccepted => new SectorAnswered(id, pending.Sector, null),
                CommandRefused { Refusal.Code: not RefusalCode.Unavailable } r => new SectorAnswered(id, pending.Sector, r.Refusal),
                _ => new SectorSilent(),
            },
            failure: _ => new SectorSilent());
        Timers.StartSingleTimer(nameof(RetryPending), new RetryPending(), Settings.AskTimeout + Settings.RedeliverEvery);
    }

    private void AnswerWaiting(IReadOnlyList<ITeamEvent> events)
    {
        object answer = events.OfType<AssignmentRefused>().FirstOrDefault() is { } refused
            ? new CommandRefused(refused.Refusal)
            : Accepted();
        foreach (var w in _waiting) w.Tell(answer);
        _waiting.Clear();
    }

    private CommandAccepted Accepted() => new(_state.Version, new EntityStatus.Team(_state.Status));
}

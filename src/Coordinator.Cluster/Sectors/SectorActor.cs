using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Hosting;
using Akka.Persistence;
using Coordinator.Cluster.Facilities;
using Coordinator.Cluster.Teams;
using Coordinator.Domain;
using Coordinator.Domain.Facilities;
using Coordinator.Domain.Sectors;
using Coordinator.Domain.Teams;

namespace Coordinator.Cluster.Sectors;

/// <summary>
/// The shell around <see cref="Sector"/>. Beyond decide-persist-reply it learns its definition from the
/// facility on first use, asks the facility's consent where <see cref="Sector.ConsentNeeded"/> says so,
/// keeps the facility's copy of its progress current until acknowledged, and tells teams when they leave.
/// </summary>
/// <remarks>
/// At most one copy of its progress is on its way to the facility at a time: changes made meanwhile go with the
/// next copy, sent when the facility acknowledges. The facility records copies one at a time, so under load it
/// gets one write per sector per round instead of one per report, and its backlog is bounded by its sectors.
/// </remarks>
public sealed class SectorActor : EntityActor, IWithTimers
{
    private sealed record DefinitionTimedOut;
    private sealed record ConsentAnswered(object? Reply);
    private sealed record RedeliverProgress;

    private readonly IActorRef _facilities;
    private readonly IActorRef _teams;
    private readonly ReportPrints _prints;
    private Sector _state;
    private SectorDefinition? _planned; // the facility's definition, known but not yet recorded here
    private long _acknowledgedByFacility;
    private long _sentToFacility; // the version of the copy on its way; not above _acknowledgedByFacility when none is

    public override string PersistenceId { get; }
    public ITimerScheduler Timers { get; set; } = null!;

    public static string PersistenceIdOf(SectorRef sector) => $"sector-{sector}";

    public SectorActor(SectorRef sector, EntitySettings settings, IActorRegistry registry, ReportPrints prints) : base(settings)
    {
        _prints = prints;
        _facilities = registry.Get<FacilityRegion>();
        _teams = registry.Get<TeamRegion>();
        _state = Sector.Empty(sector);
        PersistenceId = PersistenceIdOf(sector);

        Recover<SnapshotOffer>(o => _state = (Sector)o.Snapshot);
        Recover<ISectorEvent>(e => _state = _state.Evolve(e));
        AwaitingDefinition();
    }

    protected override void OnReplaySuccess()
    {
        if (!_state.Defined) return;
        Become(Ready);
        // A crash may have come between our write and the facility's: tell it again (it ignores what it knows).
        InformFacility();
    }

    /// <summary>Nothing recorded here and the plan not yet asked: the first message of any kind looks it up.</summary>
    private void AwaitingDefinition()
    {
        Command<ISectorCommand>(_ => LookUpDefinition());
        Command<ISectorMessage>(_ => LookUpDefinition());
        CommandProgress();
    }

    /// <summary>Asked the facility for the definition; everything else waits.</summary>
    private void LookingUpDefinition()
    {
        Command<SectorDefinitionResult>(r =>
        {
            Timers.Cancel(nameof(DefinitionTimedOut));
            if (r.Definition is { } definition)
            {
                _planned = definition;
                Become(Planned);
                Stash.UnstashAll();
            }
            else GiveUp(new CommandRefused(new Refusal(
                r.FacilityRegistered ? RefusalCode.SectorNotFound : RefusalCode.FacilityNotFound,
                r.FacilityRegistered ? $"sector '{_state.Ref.Sector}' is not defined in facility '{_state.Ref.Facility}'"
                    : $"facility '{_state.Ref.Facility}' is not registered")));
        });
        Command<DefinitionTimedOut>(_ => GiveUp(CommandRefused.Unavailable($"facility '{_state.Ref.Facility}'")));
        CommandAny(_ => Stash.Stash());
    }

    /// <summary>The definition is known from the plan but not yet recorded in this sector's journal.</summary>
    private void Planned()
    {
        Command<ISectorCommand>(DefineThenHandle);
        CommandReads();
        CommandProgress();
    }

    /// <summary>Defined in its own journal: every command is decided on the recorded state.</summary>
    private void Ready()
    {
        Command<ISectorCommand>(c => Handle(c));
        CommandReads();
        CommandProgress();
    }

    /// <summary>The facility records the change first; until it answers, this sector decides nothing else.</summary>
    private void AwaitingConsent(IReadOnlyList<ISectorEvent> events, IActorRef replyTo)
    {
        Command<ConsentAnswered>(answer =>
        {
            Become(_state.Defined ? Ready : Planned);
            switch (answer.Reply)
            {
                case CommandAccepted: RecordEvents(events, replyTo); break;
                case CommandRefused refused: replyTo.Tell(refused); break;
                default: replyTo.Tell(CommandRefused.Unavailable($"facility '{_state.Ref.Facility}'")); break;
            }
            Stash.UnstashAll();
        });
        CommandAny(_ => Stash.Stash());
    }

    /// <summary>The definition could not be had: everything waiting and arriving is refused until the entity stops.</summary>
    private void Unavailable(CommandRefused refusal)
    {
        Command<StopEntity>(_ => Context.Stop(Self));
        CommandAny(_ => Sender.Tell(refusal));
    }

    /// <summary>Reads: a team's steps (<see cref="AcceptTeam"/>, <see cref="ReleaseTeam"/>) are sector commands like any other.</summary>
    private void CommandReads()
    {
        Command<GetSector>(_ => Sender.Tell(Current));
        Command<CheckTeam>(c => Sender.Tell(new SectorReported(c.Team, _state.Ref, Current.Team == c.Team, Current.Status)));
    }

    /// <summary>Reads and refusals never write; the first accepted command records the plan's definition first.</summary>
    private void DefineThenHandle(ISectorCommand command)
    {
        if (command is not DefineSector && Current.Decide(command, DateTimeOffset.UtcNow, _prints) is Decision<ISectorEvent>.Accepted)
            Handle(new DefineSector(_state.Ref, _planned!), () => Self.Forward(command));
        else
            Handle(command);
    }

    /// <summary>Keeping the facility's copy current, and the housekeeping of an entity that persists.</summary>
    private void CommandProgress()
    {
        Command<SectorProgressAcknowledged>(a =>
        {
            _acknowledgedByFacility = Math.Max(_acknowledgedByFacility, a.Version);
            InformFacility();
        });
        Command<RedeliverProgress>(_ => InformFacility(resend: true));
        // Stopping (hand-off, a node leaving): changes not sent yet go now, so the facility's copy is current without
        // waiting for this sector's next start.
        Command<StopEntity>(_ =>
        {
            if (_state.Version > _sentToFacility) InformFacility(resend: true);
            Context.Stop(Self);
        });
        CommandHousekeeping();
    }

    private Sector Current => _state.Defined ? _state : Sector.Planned(_state.Ref, _planned!);

    private void LookUpDefinition()
    {
        Stash.Stash();
        _facilities.Tell(new GetSectorDefinition(_state.Ref.Facility, _state.Ref.Sector));
        Timers.StartSingleTimer(nameof(DefinitionTimedOut), new DefinitionTimedOut(), Settings.AskTimeout);
        Become(LookingUpDefinition);
    }

    /// <summary>Answers everything waiting and stops: a later message starts a fresh lookup.</summary>
    private void GiveUp(CommandRefused refusal)
    {
        Become(() => Unavailable(refusal));
        Stash.UnstashAll();
        Context.Parent.Tell(new Passivate(StopEntity.Instance));
    }

    /// <param name="then">Runs once the command's events are recorded, instead of replying.</param>
    private void Handle(ISectorCommand command, Action? then = null)
    {
        var replyTo = Sender;
        // A definition is recorded against what this journal holds; everything else is decided on the sector as planned.
        var state = command is DefineSector ? _state : Current;
        switch (state.Decide(command, DateTimeOffset.UtcNow, _prints))
        {
            case Decision<ISectorEvent>.Refused r:
                replyTo.Tell(new CommandRefused(r.Refusal));
                break;
            case Decision<ISectorEvent>.Repeated r:
                replyTo.Tell(new CommandAccepted(r.Outcome.Version, new EntityStatus.Sector(r.Outcome.Status)));
                InformFacility(); // a retry may follow a crash that cut the first delivery short
                break;
            case Decision<ISectorEvent>.Accepted { Events.Count: 0 }:
                replyTo.Tell(Accepted());
                break;
            case Decision<ISectorEvent>.Accepted a when _state.ConsentNeeded(a.Events) is { } consent:
                AskConsent(consent, a.Events, command.By, replyTo);
                break;
            case Decision<ISectorEvent>.Accepted a:
                RecordEvents(a.Events, replyTo, then);
                break;
        }
    }

    private void AskConsent(FacilityConsent consent, IReadOnlyList<ISectorEvent> events, Author by, IActorRef replyTo)
    {
        var ask = new ConsentToSectorChange(_state.Ref.Facility, _state.Ref.Sector, _state.Version,
            consent.Reopens, consent.Child, consent.Reason, by);
        _facilities.Ask<object>(ask, Settings.AskTimeout)
            .PipeTo(Self, success: reply => new ConsentAnswered(reply), failure: _ => new ConsentAnswered(null));
        Become(() => AwaitingConsent(events, replyTo));
    }

    /// <summary>Persists decided events; once stored, replies (or runs <paramref name="then"/>) and tells the team and the facility.</summary>
    private void RecordEvents(IReadOnlyList<ISectorEvent> events, IActorRef replyTo, Action? then = null)
    {
        var before = _state;
        Store(events, Apply, replyTo, () =>
        {
            if (then is null) replyTo.Tell(Accepted());
            else then();
            TellTeams(before, _state);
            InformFacility();
            SnapshotIfDue(events.Count, _state);
        });
    }

    /// <summary>Evolves by a stored event; once the definition is recorded, the commands that follow are decided as ready.</summary>
    private void Apply(ISectorEvent e)
    {
        var wasDefined = _state.Defined;
        _state = _state.Evolve(e);
        if (!wasDefined && _state.Defined) Become(Ready);
    }

    private CommandAccepted Accepted() => new(_state.Version, new EntityStatus.Sector(_state.Status));

    /// <summary>A team whose work here ended, or that is now on site, learns it (and checks again if this is lost).</summary>
    private void TellTeams(Sector before, Sector after)
    {
        if (before.Team is { } left && after.Team != left)
            _teams.Tell(new SectorReported(left, after.Ref, false, after.Status));
        if (after.Team is { } team && after.Status == SectorStatus.InProgress && before.Status != SectorStatus.InProgress)
            _teams.Tell(new SectorReported(team, after.Ref, true, after.Status));
    }

    /// <param name="resend">The copy on its way may be lost: send the latest even so.</param>
    private void InformFacility(bool resend = false)
    {
        if (_state.Version <= _acknowledgedByFacility) return;
        if (_sentToFacility > _acknowledgedByFacility && !resend) return; // goes with the next copy, on the acknowledgement
        _sentToFacility = _state.Version;
        _facilities.Tell(new RecordSectorProgress(_state.Ref.Facility, _state.Ref.Sector, _state.Progress));
        Timers.StartSingleTimer(nameof(RedeliverProgress), new RedeliverProgress(), Settings.RedeliverEvery);
    }
}

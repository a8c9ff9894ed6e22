using Akka.Actor;
using Akka.Persistence;
using Coordinator.Domain;
using Coordinator.Domain.Facilities;

namespace Coordinator.Cluster.Facilities;

/// <summary>The shell around <see cref="Facility"/>: decide, persist, evolve, reply.</summary>
public sealed class FacilityActor : EntityActor
{
    private Facility _state;

    public override string PersistenceId { get; }

    public static string PersistenceIdOf(string facility) => $"facility-{facility}";

    public FacilityActor(string facility, EntitySettings settings) : base(settings)
    {
        _state = Facility.Empty(facility);
        PersistenceId = PersistenceIdOf(facility);

        Recover<SnapshotOffer>(o => _state = (Facility)o.Snapshot);
        Recover<IFacilityEvent>(e => _state = _state.Evolve(e));

        Command<IFacilityCommand>(Handle);
        Command<GetFacility>(_ => Sender.Tell(_state));
        Command<GetSectorDefinition>(q => Sender.Tell(new SectorDefinitionResult(_state.Sectors.GetValueOrDefault(q.Sector), _state.Registered)));
        CommandHousekeeping();
    }

    private void Handle(IFacilityCommand command) =>
        Record(_state.Decide(command, DateTimeOffset.UtcNow), e => _state = _state.Evolve(e), _ => Reply(command), () => _state);

    private object Reply(IFacilityCommand command) => command is RecordSectorProgress p
        ? new SectorProgressAcknowledged(Math.Max(p.Progress.Version, _state.ProgressOf(p.Sector).Version))
        : new CommandAccepted(_state.Version, new EntityStatus.Facility(_state.SignedOff ? FacilityStatus.SignedOff : FacilityStatus.Open));
}

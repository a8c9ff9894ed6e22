using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Persistence;
using Coordinator.Domain;
using Coordinator.Domain.Family;

namespace Coordinator.Cluster.Family;

/// <summary>The shell around one <see cref="Inquiry"/>: decides, persists, replies.</summary>
public sealed class InquiryActor : EntityActor
{
    private Inquiry _state;

    public override string PersistenceId { get; }

    public InquiryActor(string id, EntitySettings settings) : base(settings)
    {
        _state = Inquiry.Empty(id);
        PersistenceId = $"inquiry-{id}";
        Recover<SnapshotOffer>(o => _state = (Inquiry)o.Snapshot);
        Recover<IInquiryEvent>(e => _state = _state.Evolve(e));
        Command<IInquiryCommand>(Handle);
        Command<GetInquiry>(_ => Sender.Tell(_state));
        Command<ShelveInquiry>(_ => Context.Parent.Tell(new Passivate(StopEntity.Instance)));
        CommandHousekeeping();
    }

    private void Handle(IInquiryCommand command) =>
        Record(_state.Decide(command, DateTimeOffset.UtcNow), e => _state = _state.Evolve(e), _ => Accepted(), () => _state);

    private CommandAccepted Accepted() => new(_state.Version, new EntityStatus.Inquiry(_state.Closed ? InquiryStatus.Closed : InquiryStatus.Open));
}

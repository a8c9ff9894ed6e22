using Akka.Actor;
using Akka.Persistence;
using Coordinator.Domain;
using Coordinator.Domain.Access;

namespace Coordinator.Cluster.Access;

/// <summary>The shell around <see cref="Tokens"/>: one per cluster (a single sharded entity), its events read by every node's live view.</summary>
public sealed class TokenRegistryActor : EntityActor
{
    public const string EntityId = "tokens";
    private Tokens _state = Tokens.Empty;

    public override string PersistenceId => "tokens";

    public TokenRegistryActor(EntitySettings settings) : base(settings)
    {
        Recover<SnapshotOffer>(o => _state = (Tokens)o.Snapshot);
        Recover<ITokenEvent>(e => _state = _state.Evolve(e));
        Command<ITokenCommand>(Handle);
        Command<GetTokens>(_ => Sender.Tell(_state));
        CommandHousekeeping();
    }

    private void Handle(ITokenCommand command) =>
        Record(_state.Decide(command, DateTimeOffset.UtcNow), e => _state = _state.Evolve(e),
            events => new CommandAccepted(_state.Version, events.LastOrDefault() is TokenIssued ? "Issued" : "Revoked"), () => _state);
}

public sealed record GetTokens;

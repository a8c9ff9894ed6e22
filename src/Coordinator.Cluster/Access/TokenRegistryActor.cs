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

    private void Handle(ITokenCommand command)
    {
        var replyTo = Sender;
        switch (_state.Decide(command, DateTimeOffset.UtcNow))
        {
            case Decision<ITokenEvent>.Refused r:
                replyTo.Tell(new CommandRefused(r.Refusal));
                break;
            case Decision<ITokenEvent>.Accepted { Events.Count: 0 }:
                replyTo.Tell(new CommandAccepted(_state.Version, "Revoked"));
                break;
            case Decision<ITokenEvent>.Accepted a:
                PersistAll(a.Events, e => _state = _state.Evolve(e));
                DeferAsync(a, _ =>
                {
                    replyTo.Tell(new CommandAccepted(_state.Version, a.Events[^1] is TokenRevoked ? "Revoked" : "Issued"));
                    SnapshotIfDue(a.Events.Count, _state);
                });
                break;
        }
    }
}

public sealed record GetTokens;

using Akka.Actor;
using Akka.Persistence;
using Coordinator.Domain;
using Coordinator.Domain.Access;

namespace Coordinator.Cluster.Access;

/// <summary>
/// The shell around <see cref="TokenRegistry"/>: one per cluster (a single sharded entity), its events read by every node's live view.
/// </summary>
public sealed class TokenRegistryActor : EntityActor
{
    public const string EntityId = "tokens";
    private TokenRegistry _state = TokenRegistry.Empty;

    /// <summary>The registry's events in the journal: the access projection reads them alone.</summary>
    public const string JournalId = "tokens";

    public override string PersistenceId => JournalId;

    public TokenRegistryActor(EntitySettings settings) : base(settings)
    {
        Recover<SnapshotOffer>(o => _state = o.Snapshot switch
        {
            TokenRegistry r => r,
            Tokens t => TokenRegistry.Of(t), // written before enrolments existed
            var other => throw new InvalidOperationException($"a token registry cannot start from {other.GetType().Name}"),
        });
        Recover<ITokenEvent>(e => _state = _state.Evolve(e));
        Command<ITokenCommand>(Handle);
        Command<GetTokens>(_ => Sender.Tell(_state.Tokens));
        Command<GetTokenRegistry>(_ => Sender.Tell(_state));
        CommandHousekeeping();
    }

    private void Handle(ITokenCommand command) =>
        Record(_state.Decide(command, DateTimeOffset.UtcNow), e => _state = _state.Evolve(e),
            events => new CommandAccepted(_state.Version, new EntityStatus.Tokens(events.LastOrDefault() switch
            {
                TokenIssued => TokenChange.Issued,
                TokenRevoked => TokenChange.Revoked,
                EnrolmentOpened => TokenChange.EnrolmentOpened,
                _ => TokenChange.Unchanged,
            })), () => _state);
}

using System.Collections.Immutable;

namespace Coordinator.Domain.Access;

/// <summary>
/// What every request's token check needs, and nothing else: the tokens revoked and the admin tokens in force
/// (the bootstrap secret is retired while one is). Folded from the token registry's events alone, so a node
/// can check tokens as soon as it has read that one entity, however large the rest of the journal.
/// </summary>
public sealed record AccessView(ImmutableHashSet<string> RevokedTokens, ImmutableDictionary<string, DateTimeOffset> AdminTokens)
{
    public static readonly AccessView Empty = new(ImmutableHashSet<string>.Empty, ImmutableDictionary<string, DateTimeOffset>.Empty);

    /// <summary>An admin token is in force: the bootstrap secret has handed over and is refused until none is.</summary>
    public bool HasAdmin(DateTimeOffset now) => AdminTokens.Values.Any(expires => expires > now);

    public bool IsRevoked(string tokenId) => RevokedTokens.Contains(tokenId);

    public AccessView Apply(object e) => e switch
    {
        // Every node refuses a revoked token once its view has read the revocation.
        TokenRevoked r => this with { RevokedTokens = RevokedTokens.Add(r.Id), AdminTokens = AdminTokens.Remove(r.Id) },
        TokenIssued { Role: Role.Admin } admin => this with { AdminTokens = AdminTokens.SetItem(admin.Id, admin.ExpiresAt) },
        _ => this,
    };
}

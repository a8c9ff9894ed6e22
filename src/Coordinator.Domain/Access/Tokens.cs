using System.Collections.Immutable;

namespace Coordinator.Domain.Access;

/// <summary>Who may do what (docs/security.md has the table).</summary>
public enum Role { Lead, Field, Monitor, Admin, FamilyDesk }

public interface ITokenCommand
{
    Author By { get; }
}

/// <summary>A lead issues a token: a field token is bound to one team.</summary>
public sealed record IssueToken(string Id, Role Role, string? Team, DateTimeOffset ExpiresAt, Author By) : ITokenCommand;

/// <summary>Revokes a token; with <see cref="WithIssued"/>, also every token issued through it, and through those (a lost lead's phone).</summary>
public sealed record RevokeToken(string Id, Author By, bool WithIssued = false) : ITokenCommand;

public interface ITokenEvent : IEvent
{
    string Id { get; }
}

public sealed record TokenIssued(string Id, Role Role, string? Team, DateTimeOffset ExpiresAt, DateTimeOffset At, Author By)
    : ITokenEvent, IAboutTeam;

public sealed record TokenRevoked(string Id, DateTimeOffset At, Author By) : ITokenEvent;

public sealed record IssuedToken(Role Role, string? Team, DateTimeOffset ExpiresAt, DateTimeOffset IssuedAt, Author IssuedBy,
    DateTimeOffset? RevokedAt);

/// <summary>Every token issued in the operation and which are revoked. The tokens themselves are never stored.</summary>
public sealed record Tokens(ImmutableDictionary<string, IssuedToken> Issued, long Version)
{
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(30);
    public static readonly Tokens Empty = new(ImmutableDictionary<string, IssuedToken>.Empty, 0);

    /// <summary>The subject the bootstrap secret acts as: no token's subject can be it (theirs are "role:…:tk-…").</summary>
    public const string BootstrapSubject = "bootstrap";

    public const string BootstrapRetiredReason =
        "the bootstrap secret is retired while an admin token is in force: it mints nothing, sign in with an admin token";

    public bool IsRevoked(string id) => Issued.TryGetValue(id, out var t) && t.RevokedAt is not null;

    /// <summary>An admin token is in force: the bootstrap secret has handed over, until none is.</summary>
    public bool HasAdmin(DateTimeOffset now) => Issued.Values.Any(t => t.Role == Role.Admin && t.RevokedAt is null && t.ExpiresAt > now);

    /// <summary>
    /// Decided here, by the registry's one writer, rather than by a node's view of the journal, which lags: two
    /// requests with the bootstrap secret cannot both see "no admin yet" and both mint one.
    /// </summary>
    public bool RefusesBootstrap(Author by, DateTimeOffset now) =>
        by.Subject.StartsWith(BootstrapSubject + "@", StringComparison.Ordinal) && HasAdmin(now);

    public Decision<ITokenEvent> Decide(ITokenCommand command, DateTimeOffset now) => command switch
    {
        IssueToken c when RefusesBootstrap(c.By, now) => Refuse(RefusalCode.BootstrapRetired, BootstrapRetiredReason),
        IssueToken c when !Ids.IsValid(c.Id) => Refuse(RefusalCode.InvalidId, "token id is not a valid id"),
        IssueToken c when Issued.ContainsKey(c.Id) => Refuse(RefusalCode.InvalidId, $"token id '{c.Id}' is taken"),
        IssueToken c when !Enum.IsDefined(c.Role) => Refuse(RefusalCode.InvalidField, "role must be lead, field, monitor, admin or familydesk"),
        IssueToken { Role: Role.Field, Team: null } => Refuse(RefusalCode.InvalidField, "a field token names its team"),
        IssueToken c when c.Team is not null && !Ids.IsValid(c.Team) => Refuse(RefusalCode.InvalidId, $"team id '{c.Team}' is not a valid id"),
        IssueToken c when c.Role != Role.Field && c.Team is not null => Refuse(RefusalCode.InvalidField, "only a field token is bound to a team"),
        IssueToken c when c.ExpiresAt <= now || c.ExpiresAt > now + MaxLifetime =>
            Refuse(RefusalCode.InvalidField, $"expiry must be in the future and at most {MaxLifetime.TotalDays:0} days away"),
        IssueToken c => Decision<ITokenEvent>.Accept(new TokenIssued(c.Id, c.Role, c.Team, c.ExpiresAt, now, c.By)),
        RevokeToken c when !Issued.TryGetValue(c.Id, out _) => Refuse(RefusalCode.TokenNotFound, $"no token '{c.Id}' was issued"),
        RevokeToken c => Decision<ITokenEvent>.Accept([.. (c.WithIssued ? IssuedThrough(c.Id) : [c.Id])
            .Where(id => !IsRevoked(id)).Select(id => (ITokenEvent)new TokenRevoked(id, now, c.By))]),
        _ => throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name),
    };

    public Tokens Evolve(ITokenEvent e) => (e switch
    {
        TokenIssued i => this with { Issued = Issued.SetItem(i.Id, new IssuedToken(i.Role, i.Team, i.ExpiresAt, i.At, i.By, null)) },
        TokenRevoked r => this with { Issued = Issued.SetItem(r.Id, Issued[r.Id] with { RevokedAt = r.At }) },
        _ => throw new ArgumentOutOfRangeException(nameof(e), e.GetType().Name),
    }) with
    { Version = Version + 1 };

    /// <summary>The token and, transitively, every token issued by a caller holding it, in the order they were issued.</summary>
    public IReadOnlyList<string> IssuedThrough(string id)
    {
        var found = new List<string> { id };
        var seen = new HashSet<string> { id };
        for (var i = 0; i < found.Count; i++)
            foreach (var (child, _) in Issued.Where(t => IssuerOf(t.Value.IssuedBy) == found[i]).OrderBy(t => t.Value.IssuedAt))
                if (seen.Add(child)) found.Add(child);
        return found;
    }

    /// <summary>
    /// The token an author acted with: the id closing its subject ("lead:tk-1@10.0.0.5", "field:K9-1:tk-2@…",
    /// "enrolment:lead:tk-1@…" for a phone enrolled with a lead's code); null for the bootstrap secret.
    /// </summary>
    public static string? IssuerOf(Author by)
    {
        var subject = by.Subject;
        var at = subject.LastIndexOf('@');
        var id = (at < 0 ? subject : subject[..at]).Split(':')[^1];
        return id.StartsWith("tk-", StringComparison.Ordinal) ? id : null;
    }

    private static Decision<ITokenEvent> Refuse(RefusalCode code, string reason) => Decision<ITokenEvent>.Refuse(code, reason);
}

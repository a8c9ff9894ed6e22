using System.Collections.Immutable;

namespace Coordinator.Domain.Access;

/// <summary>
/// A lead opens a one-time enrolment for a team's phone. The code itself is never recorded: only a keyed hash of it,
/// which the node computes, so neither the journal nor the audit trail can be turned back into a token.
/// </summary>
public sealed record OpenEnrolment(string CodeHash, string Team, DateTimeOffset ExpiresAt, TimeSpan TokenLifetime, Author By) : ITokenCommand;

/// <summary>
/// A phone redeems an enrolment code: once, before it expires, for a field token of the enrolment's team. The phone
/// names itself, so the same phone asking again (the answer was lost underground) is given the same token.
/// </summary>
public sealed record RedeemEnrolment(string CodeHash, string TokenId, string Phone, Author By) : ITokenCommand;

/// <summary>An enrolment code was made for a team; <see cref="Id"/> is the code's keyed hash.</summary>
public sealed record EnrolmentOpened(string Id, string Team, DateTimeOffset ExpiresAt, TimeSpan TokenLifetime, DateTimeOffset At, Author By)
    : ITokenEvent, IAboutTeam;

/// <summary>
/// The code was used by <see cref="Phone"/>: the token <see cref="TokenId"/> was issued for it (a <see cref="TokenIssued"/> follows).
/// </summary>
public sealed record EnrolmentRedeemed(string Id, string TokenId, string Phone, DateTimeOffset At, Author By) : ITokenEvent;

public sealed record Enrolment(string Team, DateTimeOffset ExpiresAt, TimeSpan TokenLifetime, DateTimeOffset OpenedAt, Author OpenedBy,
    string? RedeemedFor, string? RedeemedBy);

/// <summary>
/// The operation's tokens and the enrolment codes that give field tokens to phones: one decision-maker, so a code
/// is redeemed once and its token issued in the same write.
/// </summary>
public sealed record TokenRegistry(Tokens Tokens, ImmutableDictionary<string, Enrolment> Enrolments, long Version)
{
    /// <summary>A code is read over a radio and typed on a phone within minutes; a day is the outer limit.</summary>
    public static readonly TimeSpan MaxEnrolmentLifetime = TimeSpan.FromDays(1);

    public static readonly TokenRegistry Empty = new(Tokens.Empty, ImmutableDictionary<string, Enrolment>.Empty, 0);

    /// <summary>A registry recovered from a snapshot taken before enrolments existed.</summary>
    public static TokenRegistry Of(Tokens tokens) => Empty with { Tokens = tokens, Version = tokens.Version };

    public Decision<ITokenEvent> Decide(ITokenCommand command, DateTimeOffset now) => command switch
    {
        OpenEnrolment c when Tokens.RefusesBootstrap(c.By, now) => Refuse(RefusalCode.BootstrapRetired, Tokens.BootstrapRetiredReason),
        OpenEnrolment c when string.IsNullOrEmpty(c.CodeHash) || Enrolments.ContainsKey(c.CodeHash) =>
            Refuse(RefusalCode.InvalidId, "the enrolment code is taken: make another"),
        OpenEnrolment c when !Ids.IsValid(c.Team) => Refuse(RefusalCode.InvalidId, $"team id '{c.Team}' is not a valid id"),
        OpenEnrolment c when c.ExpiresAt <= now || c.ExpiresAt > now + MaxEnrolmentLifetime =>
            Refuse(RefusalCode.InvalidField, $"the code must expire in the future and at most {MaxEnrolmentLifetime.TotalHours:0} hours away"),
        OpenEnrolment c when c.TokenLifetime <= TimeSpan.Zero || c.TokenLifetime > Tokens.MaxLifetime =>
            Refuse(RefusalCode.InvalidField, $"the phone's token must expire in the future and at most {Tokens.MaxLifetime.TotalDays:0} days away"),
        OpenEnrolment c => Decision<ITokenEvent>.Accept(new EnrolmentOpened(c.CodeHash, c.Team, c.ExpiresAt, c.TokenLifetime, now, c.By)),
        RedeemEnrolment c when !Enrolments.TryGetValue(c.CodeHash, out _) =>
            Refuse(RefusalCode.EnrolmentNotFound, "no such enrolment code: check it with your lead"),
        RedeemEnrolment c when Enrolments[c.CodeHash].ExpiresAt <= now =>
            Refuse(RefusalCode.EnrolmentExpired, "this enrolment code has expired: ask your lead for a new one"),
        RedeemEnrolment c when Enrolments[c.CodeHash] is { RedeemedFor: not null } e && e.RedeemedBy == c.Phone =>
            Decision<ITokenEvent>.Accept(), // its answer was lost
        RedeemEnrolment c when Enrolments[c.CodeHash].RedeemedFor is not null => Refuse(RefusalCode.EnrolmentUsed,
            "this enrolment code was used by another phone: ask your lead for a new one, " +
            "and if that was not one of yours, to revoke the token it gave"),
        RedeemEnrolment c when string.IsNullOrWhiteSpace(c.Phone) || c.Phone.Length > Ids.MaxLength =>
            Refuse(RefusalCode.InvalidField, $"the phone's id must be 1-{Ids.MaxLength} characters"),
        RedeemEnrolment c => Redeem(Enrolments[c.CodeHash], c, now),
        _ => Tokens.Decide(command, now),
    };

    public TokenRegistry Evolve(ITokenEvent e) => (e switch
    {
        EnrolmentOpened o =>
            this with { Enrolments = Enrolments.SetItem(o.Id, new Enrolment(o.Team, o.ExpiresAt, o.TokenLifetime, o.At, o.By, null, null)) },
        EnrolmentRedeemed r =>
            this with { Enrolments = Enrolments.SetItem(r.Id, Enrolments[r.Id] with { RedeemedFor = r.TokenId, RedeemedBy = r.Phone }) },
        _ => this with { Tokens = Tokens.Evolve(e) },
    }) with
    { Version = Version + 1 };

    /// <summary>The token is decided by the token rules, so a redeemed code can never give what a lead could not issue.</summary>
    private Decision<ITokenEvent> Redeem(Enrolment e, RedeemEnrolment c, DateTimeOffset now) =>
        Tokens.Decide(new IssueToken(c.TokenId, Role.Field, e.Team, now + e.TokenLifetime, new Author($"enrolment:{e.OpenedBy.Subject}")), now) switch
        {
            Decision<ITokenEvent>.Accepted { Events: [TokenIssued issued] } =>
                Decision<ITokenEvent>.Accept(new EnrolmentRedeemed(c.CodeHash, c.TokenId, c.Phone, now, c.By), issued),
            var refused => refused,
        };

    private static Decision<ITokenEvent> Refuse(RefusalCode code, string reason) => Decision<ITokenEvent>.Refuse(code, reason);
}

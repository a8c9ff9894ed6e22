namespace Coordinator.Contracts;

/// <summary>
/// The codes of problems the HTTP layer answers by itself. Every problem's <c>code</c> is one of these or a
/// <see cref="Coordinator.Domain.RefusalCode"/> (a rule of the domain said no); the names are the public contract.
/// </summary>
public enum ProblemCode
{
    /// <summary>401: no token, or one expired, revoked or not this operation's.</summary>
    SignInNeeded,
    /// <summary>403: the token's role may not do this.</summary>
    NotAllowed,
    /// <summary>403: a field token reporting for another team.</summary>
    NotYourTeam,
    /// <summary>403: an admin's route.</summary>
    AdminOnly,
    NoSuchRoute,
    MethodNotAllowed,
    UnsupportedMediaType,
    BodyTooLarge,
    /// <summary>414: the path and query are longer than the node takes.</summary>
    UriTooLong,
    /// <summary>431: the header fields are more or larger than the node takes.</summary>
    HeadersTooLarge,
    TooManyRows,
    /// <summary>400: a list's cursor that is malformed or another list's (pass the 'next' of the page before, unchanged).</summary>
    CursorInvalid,
    TooManyRequests,
    TooManyStreams,
    /// <summary>401: a printed page's single-use link that is not this operation's, expired, or used already.</summary>
    TicketInvalid,
    TicketExpired,
    TicketUsed,
    MemberNotFound,
    /// <summary>409: a backup through the node on PostgreSQL, whose backup is the database's own (pg_dump, docs/operations.md).</summary>
    BackupWithPgDump,
    /// <summary>500, or any status the node has no reason of its own for: a fault the trace id finds in the node's log.</summary>
    Unexpected,
}

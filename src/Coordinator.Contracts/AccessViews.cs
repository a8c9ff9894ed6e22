using System.Text.Json;

namespace Coordinator.Contracts;

// Tokens, enrolment, sessions, tickets and the audit trail.

public sealed record IssuedTokenView(string Token, string Id, string Role, string? Team, DateTimeOffset ExpiresAt);

public sealed record TokenView(string Id, string Role, string? Team, DateTimeOffset ExpiresAt, DateTimeOffset IssuedAt, string IssuedBy,
    DateTimeOffset? RevokedAt);

/// <summary>Who the caller's token says it is: pages show a lead's controls, a monitor's read-only view, a team's own work.</summary>
public sealed record SessionView(string Subject, string[] Roles, string? Team, DateTimeOffset? ExpiresAt);

public sealed record AuditEntry(long Offset, string PersistenceId, string Event, DateTimeOffset At, string By, JsonElement Data);

/// <summary>
/// The code is shown once; the url opens the field app with the code in its fragment, which no server log sees.
/// QrSvg is that url as a QR code, an SVG of plain shapes a page inserts as it is (no script, no style, no data: URL).
/// </summary>
public sealed record EnrolmentView(string Code, string Url, string Team, DateTimeOffset ExpiresAt, DateTimeOffset TokenExpiresBy, string QrSvg);

public sealed record FieldTokenView(string Token, string Id, string Team, DateTimeOffset ExpiresAt);

public sealed record StreamTicketView(string Ticket, DateTimeOffset ExpiresAt);

public sealed record ReportLinkView(string Url, DateTimeOffset ExpiresAt);

/// <summary>Simulated: the node runs --demo, on its own database.</summary>
public sealed record OperationView(bool Simulated);

/// <summary>GET /healthz/live: the process answers ("live").</summary>
public sealed record LivenessView(string Status);

/// <summary>
/// GET /healthz/ready, with 200 or 503: Status "ready" or "not ready"; Checks the actor system, cluster membership, journal and
/// access; Projections each read model, "current" or "replaying".
/// </summary>
public sealed record ReadinessView(string Status, IReadOnlyDictionary<string, string> Checks, IReadOnlyDictionary<string, string> Projections);

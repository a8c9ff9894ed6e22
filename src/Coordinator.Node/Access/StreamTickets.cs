using System.Security.Claims;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Coordinator.Node.Access;

/// <summary>
/// How a browser's EventSource signs in without its bearer token in the URL, where proxies and access logs would
/// keep it: the page asks for a single-use ticket with its token, then opens the stream with the ticket. The ticket
/// carries the token's claims, so the stream still ends at the token's expiry and within seconds of its revocation.
/// </summary>
public sealed class StreamTickets(LinkTickets tickets)
{
    public const string BoardStream = "/api/stream", FamilyStream = "/api/family/stream";
    private static readonly string[] Paths = [BoardStream, FamilyStream];

    private static readonly HashSet<string> Carried =
        [JwtRegisteredClaimNames.Sub, JwtRegisteredClaimNames.Jti, JwtRegisteredClaimNames.Exp, "role", Roles.TeamClaim];

    public static bool IsStream(PathString path) => Paths.Any(p => path.Equals(p, StringComparison.Ordinal));

    public (string Ticket, DateTimeOffset ExpiresAt) Issue(string path, ClaimsPrincipal user) =>
        tickets.Issue(path, JsonSerializer.Serialize(user.Claims.Where(c => Carried.Contains(c.Type)).Select(c => new[] { c.Type, c.Value })));

    /// <summary>Whom the ticket was issued to, once, on the stream it was issued for; or why not.</summary>
    public (ClaimsPrincipal? User, TicketRefusal? Refusal) Redeem(string ticket, string path)
    {
        var (claims, refusal) = tickets.Redeem(ticket, path);
        if (refusal is not null) return (null, refusal);
        var identity = new ClaimsIdentity(JsonSerializer.Deserialize<string[][]>(claims!)!.Select(c => new Claim(c[0], c[1])),
            "StreamTicket", JwtRegisteredClaimNames.Sub, "role");
        return (new ClaimsPrincipal(identity), null);
    }
}

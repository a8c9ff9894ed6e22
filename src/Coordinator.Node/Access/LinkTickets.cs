using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace Coordinator.Node.Access;

/// <summary>A ticket's refusal: why a link did not let its bearer in.</summary>
public sealed record TicketRefusal(ProblemCode Code, string Detail);

/// <summary>
/// Short-lived, single-use links for what a browser opens without its bearer token: a new tab (the printable
/// report), later an EventSource. A ticket is bound to one path and signed with the cluster's signing key, so any
/// node can check it; each node remembers the ids it has let in until they expire, so a ticket opens its path at
/// most once on each node (once, behind a load balancer that keeps a browser on one node).
/// </summary>
public sealed class LinkTickets(Secrets secrets, TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(60);

    // Its own key, derived from the signing key: a ticket's signature can never pass for a token's, or the reverse.
    private readonly byte[] _key = HMACSHA256.HashData(secrets.SigningKey, "coordinator link tickets"u8);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _used = new();

    /// <summary>A ticket for one GET of this path (e.g. /facilities/saydnaya/report), for whom the caller is.</summary>
    public (string Ticket, DateTimeOffset ExpiresAt) Issue(string path, string subject)
    {
        var expiresAt = clock.GetUtcNow() + Lifetime;
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        var body = $"{id}.{expiresAt.ToUnixTimeSeconds()}.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes(subject))}";
        return ($"{body}.{Sign(body, path)}", DateTimeOffset.FromUnixTimeSeconds(expiresAt.ToUnixTimeSeconds()));
    }

    /// <summary>Lets the ticket in once for this path, and says whom it was issued to; or says why not.</summary>
    public (string? Subject, TicketRefusal? Refusal) Redeem(string? ticket, string path)
    {
        var parts = ticket?.Split('.') ?? [];
        if (parts.Length != 4 || !long.TryParse(parts[1], out var expires) || !Base64Url.IsValid(parts[2])
            || !CryptographicOperations.FixedTimeEquals(
                Encoding.ASCII.GetBytes(Sign($"{parts[0]}.{parts[1]}.{parts[2]}", path)), Encoding.ASCII.GetBytes(parts[3])))
            return (null, new TicketRefusal(ProblemCode.TicketInvalid,
                "this link's ticket is not one this operation issued for this page: open it again from the board"));
        var now = clock.GetUtcNow();
        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(expires);
        if (now >= expiresAt)
            return (null, new TicketRefusal(ProblemCode.TicketExpired,
                $"this link expired at {expiresAt:u}: links live {Lifetime.TotalSeconds:0} s; open it again from the board"));
        Forget(now);
        return _used.TryAdd(parts[0], expiresAt)
            ? (Encoding.UTF8.GetString(Base64Url.DecodeFromChars(parts[2])), null)
            : (null, new TicketRefusal(ProblemCode.TicketUsed, "this link was already opened once: open it again from the board"));
    }

    private void Forget(DateTimeOffset now)
    {
        foreach (var (id, expiresAt) in _used)
            if (expiresAt <= now) _used.TryRemove(id, out _);
    }

    private string Sign(string body, string path) => Base64Url.EncodeToString(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes($"{body}\n{path}")));
}

using System.Collections.Concurrent;
using System.Security.Claims;
using Coordinator.Cluster.Views;
using Coordinator.Domain.Access;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Coordinator.Node.Live;

/// <summary>
/// A live stream lasts only as long as the token that opened it: it ends within <see cref="StreamSettings.AccessCheck"/>
/// of the token's expiry or revocation, and one token holds at most <see cref="StreamSettings.MaxPerToken"/> streams.
/// </summary>
public sealed class StreamAccess(Published<AccessView> access, StreamSettings settings)
{
    private readonly ConcurrentDictionary<string, int> _open = new();

    /// <summary>A held place for one stream, or null when the token has all its streams open already.</summary>
    public Lease? Open(ClaimsPrincipal user)
    {
        var id = user.FindFirst(JwtRegisteredClaimNames.Jti)?.Value;
        var key = id ?? user.FindFirst(JwtRegisteredClaimNames.Sub)?.Value ?? "anonymous";
        if (_open.AddOrUpdate(key, 1, (_, n) => n + 1) > settings.MaxPerToken)
        {
            Release(key);
            return null;
        }
        var expires = user.FindFirst(JwtRegisteredClaimNames.Exp)?.Value is { } exp && long.TryParse(exp, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds) : (DateTimeOffset?)null;
        return new Lease(this, key, expires, () => id is not null && access.Current.IsRevoked(id), settings.AccessCheck);
    }

    private void Release(string key)
    {
        if (_open.AddOrUpdate(key, 0, (_, n) => n - 1) <= 0) _open.TryRemove(new KeyValuePair<string, int>(key, 0));
    }

    /// <summary><see cref="Ended"/> is cancelled once the token has expired or been revoked; <see cref="Reason"/> says which.</summary>
    public sealed class Lease : IDisposable
    {
        private readonly StreamAccess _access;
        private readonly string _key;
        private readonly CancellationTokenSource _ended = new();
        private readonly Timer _check;

        internal Lease(StreamAccess access, string key, DateTimeOffset? expires, Func<bool> revoked, TimeSpan every)
        {
            (_access, _key) = (access, key);
            _check = new Timer(_ =>
            {
                if (expires is { } at && DateTimeOffset.UtcNow >= at) End("TokenExpired");
                else if (revoked()) End("TokenRevoked");
            }, null, TimeSpan.Zero, every);
        }

        public CancellationToken Ended => _ended.Token;
        public string? Reason { get; private set; }

        private void End(string reason)
        {
            lock (_ended)
            {
                if (Reason is not null) return;
                Reason = reason;
                try { _ended.Cancel(); }
                catch (ObjectDisposedException) { } // the stream closed meanwhile
            }
        }

        public void Dispose()
        {
            _check.Dispose();
            lock (_ended) _ended.Dispose();
            _access.Release(_key);
        }
    }
}

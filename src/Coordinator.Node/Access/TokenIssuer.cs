using System.Security.Claims;
using System.Security.Cryptography;
using Coordinator.Domain.Access;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Coordinator.Node.Access;

/// <summary>Signs bearer tokens (JWT, HMAC-SHA256) with the cluster's key.</summary>
public sealed class TokenIssuer(Secrets secrets, AuthSettings settings)
{
    public SymmetricSecurityKey Key { get; } = new(secrets.SigningKey);

    public static string NewId() => $"tk-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}";

    public static string SubjectOf(Role role, string? team, string id) => team is null
        ? $"{Roles.Name(role)}:{id}"
        : $"{Roles.Name(role)}:{team}:{id}";

    public string Issue(string id, Role role, string? team, DateTimeOffset expiresAt)
    {
        var claims = new Dictionary<string, object>
        {
            [JwtRegisteredClaimNames.Jti] = id,
            [JwtRegisteredClaimNames.Sub] = SubjectOf(role, team, id),
            ["role"] = Roles.Name(role),
        };
        if (team is not null) claims[Roles.TeamClaim] = team;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = settings.Issuer,
            Audience = settings.Issuer,
            Claims = claims,
            IssuedAt = DateTime.UtcNow,
            NotBefore = DateTime.UtcNow.AddSeconds(-5),
            Expires = expiresAt.UtcDateTime,
            SigningCredentials = new SigningCredentials(Key, SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary>Longer than any lifetime the callers allow, and far from where adding it to now would overflow.</summary>
    private static readonly TimeSpan Longest = TimeSpan.FromDays(3660);

    /// <summary>
    /// "12h", "30m", "7d" or a TimeSpan ("01:30:00"); null for anything else, zero or less, or absurdly long ("5000000d", "Infinityd").
    /// </summary>
    public static TimeSpan? ParseLifetime(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return TimeSpan.FromHours(12);
        var unit = text[^1];
        if (char.IsLetter(unit)
            && double.TryParse(text[..^1], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var n)
            && n > 0)
        {
            double? seconds = unit switch { 'm' => n * 60, 'h' => n * 3600, 'd' => n * 86400, 's' => n, _ => null };
            return seconds is { } s && s <= Longest.TotalSeconds ? TimeSpan.FromSeconds(s) : null;
        }
        return TimeSpan.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var span) && span > TimeSpan.Zero && span <= Longest
            ? span
            : null;
    }

    public static ClaimsPrincipal Bootstrap() => new(new ClaimsIdentity(
        [new Claim(JwtRegisteredClaimNames.Sub, Tokens.BootstrapSubject), new Claim("role", Roles.Lead), new Claim("role", Roles.Admin)],
        "Bootstrap", JwtRegisteredClaimNames.Sub, "role"));
}

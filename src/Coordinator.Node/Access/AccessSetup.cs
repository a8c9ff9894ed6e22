using System.Threading.RateLimiting;
using Coordinator.Cluster.Views;
using Coordinator.Domain.Access;
using Coordinator.Node.Http;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Coordinator.Node.Access;

/// <summary>Authentication (bearer tokens and the bootstrap secret), the role policies, and the per-token rate limit.</summary>
public static class AccessSetup
{
    /// <summary>The routes outside the rate limit: the probes an orchestrator polls.</summary>
    public const string Unlimited = "/healthz";

    /// <summary>What makes a bearer token valid: our issuer and audience, our key, HMAC-SHA256, its lifetime.</summary>
    public static TokenValidationParameters Validation(AuthSettings settings, SecurityKey key) => new()
    {
        ValidIssuer = settings.Issuer,
        ValidAudience = settings.Issuer,
        IssuerSigningKey = key,
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        RoleClaimType = "role",
        NameClaimType = JwtRegisteredClaimNames.Sub,
        ClockSkew = TimeSpan.FromSeconds(30),
    };

    public static Secrets AddCoordinatorAccess(this WebApplicationBuilder builder, AuthSettings settings)
    {
        var secrets = Secrets.Resolve(settings);
        var issuer = new TokenIssuer(secrets, settings);
        builder.Services.AddSingleton(settings).AddSingleton(secrets).AddSingleton(issuer);

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(o =>
        {
            o.MapInboundClaims = false;
            o.TokenValidationParameters = Validation(settings, issuer.Key);
            o.Events = new JwtBearerEvents
            {
                OnMessageReceived = ctx =>
                {
                    // EventSource cannot send headers: a live stream comes in with a single-use ticket instead of the token.
                    if (StreamTickets.IsStream(ctx.Request.Path)
                        && ctx.Request.Headers.Authorization.Count == 0
                        && ctx.Request.Query["ticket"].ToString() is { Length: > 0 } ticket)
                    {
                        SignInWithTicket(ctx, ticket);
                        return Task.CompletedTask;
                    }
                    var token = ctx.Token;
                    var header = ctx.Request.Headers.Authorization.ToString();
                    if (string.IsNullOrEmpty(token) && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) token = header[7..].Trim();
                    if (token is { Length: > 0 } && secrets.IsBootstrap(token))
                    {
                        // The bootstrap secret starts an operation: once an admin token is in force it is refused,
                        // and it works again only if every admin token has expired or been revoked. This view lags the
                        // journal: the token registry itself refuses what the secret would mint once an admin exists.
                        if (ctx.HttpContext.RequestServices.GetRequiredService<Published<AccessView>>().Current.HasAdmin(DateTimeOffset.UtcNow))
                            ctx.Fail("the bootstrap secret is retired while an admin token is in force");
                        else
                        {
                            ctx.Principal = TokenIssuer.Bootstrap();
                            ctx.Success();
                        }
                    }
                    return Task.CompletedTask;
                },
                OnTokenValidated = ctx =>
                {
                    var id = ctx.Principal?.FindFirst(JwtRegisteredClaimNames.Jti)?.Value;
                    if (id is null || ctx.HttpContext.RequestServices.GetRequiredService<Published<AccessView>>().Current.IsRevoked(id))
                        ctx.Fail("the token is revoked");
                    return Task.CompletedTask;
                },
            };
        });

        builder.Services.AddAuthorization(o =>
        {
            o.AddPolicy(Roles.Manage, p => p.RequireRole(Roles.Lead));
            o.AddPolicy(Roles.Report, p => p.RequireRole(Roles.Lead, Roles.Field));
            o.AddPolicy(Roles.Administer, p => p.RequireRole(Roles.Admin));
            o.AddPolicy(Roles.IssueTokens, p => p.RequireRole(Roles.Lead, Roles.Admin));
            o.AddPolicy(Roles.Erase, p => p.RequireRole(Roles.Lead, Roles.Admin));
            o.AddPolicy(Roles.Family, p => p.RequireRole(Roles.Lead, Roles.FamilyDesk));
            o.AddPolicy(Roles.Read, p => p.RequireRole(Roles.Lead, Roles.Field, Roles.Monitor, Roles.Admin, Roles.FamilyDesk));
        });

        builder.Services.AddRateLimiter(o =>
        {
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                settings.RequestsPerMinute <= 0 || http.Request.Path.StartsWithSegments(Unlimited)
                    ? RateLimitPartition.GetNoLimiter("unlimited")
                    : RateLimitPartition.GetFixedWindowLimiter(
                        http.User.FindFirst(JwtRegisteredClaimNames.Jti)?.Value
                            ?? http.User.Identity?.Name
                            ?? $"address:{http.Connection.RemoteIpAddress}",
                        _ => new FixedWindowRateLimiterOptions
                        {
                            PermitLimit = settings.RequestsPerMinute,
                            Window = TimeSpan.FromMinutes(1),
                            QueueLimit = 0
                        }));
            o.OnRejected = async (ctx, ct) =>
            {
                var retryAfter = ctx.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
                ctx.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString();
                await Problems.Problem(StatusCodes.Status429TooManyRequests, ProblemCode.TooManyRequests,
                    $"more than {settings.RequestsPerMinute} requests a minute with this token; retry after {retryAfter.TotalSeconds:0} s")
                    .ExecuteAsync(ctx.HttpContext);
            };
        });
        return secrets;
    }

    private static void SignInWithTicket(MessageReceivedContext ctx, string ticket)
    {
        var (user, refused) = ctx.HttpContext.RequestServices.GetRequiredService<StreamTickets>().Redeem(ticket, ctx.Request.Path);
        var id = user?.FindFirst(JwtRegisteredClaimNames.Jti)?.Value;
        var expires = long.TryParse(user?.FindFirst(JwtRegisteredClaimNames.Exp)?.Value, out var exp)
            ? DateTimeOffset.FromUnixTimeSeconds(exp)
            : (DateTimeOffset?)null;
        if (refused is not null) ctx.Fail(refused.Detail);
        else if (id is not null && ctx.HttpContext.RequestServices.GetRequiredService<Published<AccessView>>().Current.IsRevoked(id))
            ctx.Fail("the token is revoked");
        else if (expires <= DateTimeOffset.UtcNow) ctx.Fail("the token has expired");
        else
        {
            ctx.Principal = user;
            ctx.Success();
        }
    }

    /// <summary>
    /// Until this node's view has read the revocations already in the journal, any request carrying a token is
    /// answered 503: a revoked token must not pass on a node that has just started.
    /// </summary>
    public static IApplicationBuilder UseRevocationsRead(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var carriesToken = http.Request.Headers.Authorization.Count > 0
            || (StreamTickets.IsStream(http.Request.Path) && http.Request.Query.ContainsKey("ticket"));
        if (carriesToken && !http.RequestServices.GetRequiredService<Published<AccessView>>().IsCurrent)
        {
            http.Response.Headers.RetryAfter = "1";
            await Problems.Of(new Domain.Refusal(Domain.RefusalCode.Unavailable,
                "this node is still reading the journal's revocations: try again in a second, or another node")).ExecuteAsync(http);
            return;
        }
        await next(http);
    });
}

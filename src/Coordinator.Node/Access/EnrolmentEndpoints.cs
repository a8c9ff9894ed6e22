using System.Security.Cryptography;
using System.Text;
using Coordinator.Cluster;
using Coordinator.Cluster.Access;
using Coordinator.Domain;
using Coordinator.Domain.Access;
using Coordinator.Node.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using QRCoder;

namespace Coordinator.Node.Access;

/// <summary>
/// Enrolling a team's phone without typing a token: a lead makes a short one-time code, the phone redeems it for
/// the team's field token. Both steps are events of the token registry, so a code is single-use on every node.
/// </summary>
public static class EnrolmentEndpoints
{
    public static readonly TimeSpan DefaultCodeLifetime = TimeSpan.FromMinutes(15);

    public static IEndpointRouteBuilder MapEnrolments(this IEndpointRouteBuilder app)
    {
        var enrolments = app.MapGroup("/api/enrolments").WithTags("Access");
        enrolments.MapPost("/", Open).WithSummary("Opens a team's enrolment: a one-time code and QR for a phone")
            .WithDescription("Lead only. The team must be registered (404 TeamNotFound); the code lives as long as expires says (default 15m, at "
                + "most a day), the phone's token as long as tokenExpires says (default 12h, at most 30 days). Each call opens a new code; the "
                + "answer has it with the /field/ link that carries it, and that link as a QR code (SVG).")
            .RequireAuthorization(Roles.Manage).Accepts<EnrolmentRequest>("application/json").Produces<EnrolmentView>(201);
        // The phone has no token yet: the code is its credential, and the per-address rate limit guards guessing.
        enrolments.MapPost("/redeem", Redeem).WithSummary("Redeems an enrolment code for the phone's field token")
            .WithDescription("Open, without a token: the code is the credential, and the rate limit per client address stands against guessing. The "
                + "phone field is an id the phone made for itself: the same phone redeeming again gets its token again (the same token id), another "
                + "phone is refused with 409 EnrolmentUsed. 404 EnrolmentNotFound for a code never opened, 409 EnrolmentExpired once it has expired.")
            .AllowAnonymous().Accepts<RedeemRequest>("application/json").Produces<FieldTokenView>();
        return app;
    }

    private static async Task<Results<Created<EnrolmentView>, ProblemHttpResult>> Open(HttpRequest http, Gateway gateway, Secrets secrets,
        ApiSettings api, CancellationToken ct)
    {
        var (body, problem) = await RequestBody.ReadAsync<EnrolmentRequest>(http);
        if (problem is not null) return problem;
        if (Validate.Id("team id", body!.Team) is { } invalid) return invalid;
        if ((body.Expires is null ? DefaultCodeLifetime : TokenIssuer.ParseLifetime(body.Expires)) is not { } codeLifetime)
            return Problems.Invalid("expires must look like 15m, 1h or 30s");
        if (TokenIssuer.ParseLifetime(body.TokenExpires) is not { } tokenLifetime)
            return Problems.Invalid("tokenExpires must look like 12h, 30m or 2d");
        var (team, refusal) = await gateway.TeamAsync(body.Team!, ct);
        if (team is null) return Problems.Of(refusal!);

        var code = EnrolmentCode.New();
        var expiresAt = DateTimeOffset.UtcNow + codeLifetime;
        var reply = await gateway.Tokens.Send(
            new OpenEnrolment(EnrolmentCode.Hash(code, secrets), body.Team!, expiresAt, tokenLifetime, Caller.Of(http)), ct);
        var url = $"{PublicBase(http, api)}/field/#enrol={code}";
        return reply.Refusal is { } refused
            ? Problems.Of(refused)
            : TypedResults.Created("/api/enrolments",
                new EnrolmentView(EnrolmentCode.Display(code), url, body.Team!, expiresAt, expiresAt + tokenLifetime, QrSvg(url)));
    }

    private static async Task<Results<Ok<FieldTokenView>, ProblemHttpResult>> Redeem(HttpRequest http, Gateway gateway, Secrets secrets,
        TokenIssuer issuer, CancellationToken ct)
    {
        var (body, problem) = await RequestBody.ReadAsync<RedeemRequest>(http);
        if (problem is not null) return problem;
        if (EnrolmentCode.Normalise(body!.Code) is not { } code)
            return Problems.Invalid($"an enrolment code is {EnrolmentCode.Length} letters and digits, as your lead read it out");
        if (Validate.Required("phone", body.Phone) is { } missing) return missing;
        var hash = EnrolmentCode.Hash(code, secrets);
        if ((await gateway.Tokens.Send(new RedeemEnrolment(hash, TokenIssuer.NewId(), body.Phone!, Caller.Of(http)), ct)).Refusal
            is { } refused)
            return Problems.Of(refused);
        // The token this phone was given: just now, or the first time it asked, if that answer never reached it.
        if ((await gateway.Tokens.Ask<TokenRegistry>(new GetTokenRegistry(), ct)).Value is not { } registry
            || registry.Enrolments.GetValueOrDefault(hash)?.RedeemedFor is not { } id || !registry.Tokens.Issued.TryGetValue(id, out var issued))
            return Problems.Of(CommandRefused.Unavailable("the token registry").Refusal);
        return TypedResults.Ok(new FieldTokenView(issuer.Issue(id, Role.Field, issued.Team, issued.ExpiresAt), id, issued.Team!, issued.ExpiresAt));
    }

    /// <summary>The url as a QR code a phone's camera reads from a screen: medium error correction, a quiet zone, sized by the page.</summary>
    private static string QrSvg(string url)
    {
        using var data = QRCodeGenerator.GenerateQrCode(url, QRCodeGenerator.ECCLevel.M);
        return new SvgQRCode(data).GetGraphic(new System.Drawing.Size(256, 256), "#000000", "#ffffff", drawQuietZones: true,
            SvgQRCode.SizingMode.ViewBoxAttribute);
    }

    /// <summary>Where phones reach the node: the configured public address (behind a TLS proxy), else the address this request came to.</summary>
    private static string PublicBase(HttpRequest http, ApiSettings api) =>
        api.PublicUrl is { Length: > 0 } configured ? configured.TrimEnd('/') : $"{http.Scheme}://{http.Host}";
}

/// <summary>Enrolment codes: read over a radio and typed with gloves, so short, in one case, and without look-alike characters.</summary>
public static class EnrolmentCode
{
    public const int Length = 10;

    /// <summary>No 0/O, 1/I/L, U/V, 5/S, 2/Z or 8/B: what is heard or seen wrongly in a basement.</summary>
    public const string Alphabet = "234679ACDEFGHJKMNPQRTWXY";

    public static string New() => RandomNumberGenerator.GetString(Alphabet, Length);

    /// <summary>Two groups of five: easier to read out and to check.</summary>
    public static string Display(string code) => $"{code[..5]}-{code[5..]}";

    /// <summary>What was typed, without spaces or dashes and in upper case; null when it cannot be a code.</summary>
    public static string? Normalise(string? typed)
    {
        if (typed is null) return null;
        // Typed on an Arabic keyboard, the digits may come as Arabic-Indic ones: the same code.
        var code = new string([.. typed.Where(c => c is not (' ' or '-'))
            .Select(c => char.IsDigit(c) ? (char)('0' + char.GetNumericValue(c)) : char.ToUpperInvariant(c))]);
        return code.Length == Length && code.All(c => Alphabet.Contains(c)) ? code : null;
    }

    /// <summary>Keyed with the cluster's signing key: the journal holds no code, nor a hash anyone could test guesses against.</summary>
    public static string Hash(string code, Secrets secrets) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(secrets.SigningKey, Encoding.UTF8.GetBytes($"enrolment:{code}")));
}

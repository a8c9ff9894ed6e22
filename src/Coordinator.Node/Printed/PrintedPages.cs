using Coordinator.Node.Access;
using Coordinator.Node.Http;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Coordinator.Node.Printed;

/// <summary>
/// The pages printed from a new tab (the coverage report, the family's slip, the notice board): a new tab carries no
/// bearer token, so it comes in with a single-use ticket from the page's link route; a script may still send its token.
/// </summary>
public static class PrintedPages
{
    /// <summary>Who opens the page: the token's caller when its role may, else whom the ticket was issued to; or the 401 saying why not.</summary>
    public static async Task<(string? Subject, ProblemHttpResult? Refused)> AdmitAsync(HttpContext http, string? ticket, string policy,
        string linkRoute)
    {
        var authorization = http.RequestServices.GetRequiredService<IAuthorizationService>();
        if ((await authorization.AuthorizeAsync(http.User, policy)).Succeeded) return (Caller.Of(http.Request).Subject, null);
        if (ticket is null)
            return (null, Problems.Problem(StatusCodes.Status401Unauthorized, ProblemCode.SignInNeeded,
                $"a bearer token, or a ticket from POST {linkRoute}, is required"));
        var (issuedTo, refused) = http.RequestServices.GetRequiredService<LinkTickets>().Redeem(ticket, http.Request.Path);
        return refused is null ? (issuedTo!, null) : (null, Problems.Problem(StatusCodes.Status401Unauthorized, refused.Code, refused.Detail));
    }

    /// <summary>A link that opens the page at this path once, within a minute, in the language asked for.</summary>
    public static ReportLinkView Link(HttpContext http, string path, string? lang)
    {
        var (ticket, expiresAt) = http.RequestServices.GetRequiredService<LinkTickets>().Issue(path, Caller.Of(http.Request).Subject);
        return new ReportLinkView($"{path}?lang={PageText.For(lang).Lang}&ticket={Uri.EscapeDataString(ticket)}", expiresAt);
    }
}

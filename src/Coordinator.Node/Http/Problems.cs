using Coordinator.Domain;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Coordinator.Node.Http;

/// <summary>Every refusal as RFC 7807 problem details, with the domain's reason code.</summary>
public static class Problems
{
    public static ProblemHttpResult Of(Refusal refusal) => Problem(StatusOf(refusal), refusal.Code.ToString(), refusal.Reason);

    public static int StatusOf(Refusal refusal) => refusal switch
    {
        { IsNotFound: true } => StatusCodes.Status404NotFound,
        { IsInvalid: true } => StatusCodes.Status400BadRequest,
        { Code: RefusalCode.Unavailable } => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status409Conflict,
    };

    public static ProblemHttpResult Invalid(string detail) => Problem(StatusCodes.Status400BadRequest, nameof(RefusalCode.InvalidField), detail);

    /// <summary>A page refused: its own code for a cursor, so a client can start the walk again; InvalidField for a limit.</summary>
    public static ProblemHttpResult Of(PageRefusal refused) => refused.Cursor
        ? Problem(StatusCodes.Status400BadRequest, ProblemCode.CursorInvalid, refused.Detail)
        : Invalid(refused.Detail);

    public static ProblemHttpResult InvalidId(string what, string? id) =>
        Problem(StatusCodes.Status400BadRequest, nameof(RefusalCode.InvalidId), Ids.Rule(what, id));

    public static ProblemHttpResult TooLarge(long limit) =>
        Problem(StatusCodes.Status413PayloadTooLarge, ProblemCode.BodyTooLarge, $"the request body is larger than {limit} bytes");

    /// <summary>
    /// What the framework answers by itself (a request it could not read, no token, a role that may not, no such
    /// route) carries a code too, as every refusal does.
    /// </summary>
    public static void NameTheCode(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (problem.Extensions.ContainsKey("code")) return;
        var code = problem.Status switch
        {
            StatusCodes.Status400BadRequest => nameof(RefusalCode.InvalidField),
            StatusCodes.Status401Unauthorized => nameof(ProblemCode.SignInNeeded),
            StatusCodes.Status403Forbidden => nameof(ProblemCode.NotAllowed),
            StatusCodes.Status404NotFound => nameof(ProblemCode.NoSuchRoute),
            StatusCodes.Status405MethodNotAllowed => nameof(ProblemCode.MethodNotAllowed),
            StatusCodes.Status415UnsupportedMediaType => nameof(ProblemCode.UnsupportedMediaType),
            _ => nameof(ProblemCode.Unexpected),
        };
        problem.Extensions["code"] = code;
        problem.Detail ??= code switch
        {
            nameof(RefusalCode.InvalidField) => "the request could not be read",
            nameof(ProblemCode.SignInNeeded) => "a valid bearer token is required: none was sent, or it is expired, revoked or not this operation's",
            nameof(ProblemCode.NotAllowed) => "this token's role may not do this (docs/security.md has the table)",
            _ => null,
        };
    }

    /// <summary>
    /// What the framework answers with no body (no token, a role that may not, no such route) as a problem whatever the
    /// request accepts: ASP.NET's writer declines one that accepts only text/event-stream or text/html (an EventSource, a
    /// browser) and its fallback is plain text, which no client can read a code from.
    /// </summary>
    public static Task FromStatusCode(Microsoft.AspNetCore.Diagnostics.StatusCodeContext context)
    {
        var http = context.HttpContext;
        var problem = new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = http.Response.StatusCode };
        NameTheCode(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem });
        problem.Extensions.TryAdd("traceId", System.Diagnostics.Activity.Current?.Id ?? http.TraceIdentifier);
        return TypedResults.Problem(problem).ExecuteAsync(http);
    }

    public static ProblemHttpResult Problem(int status, ProblemCode code, string detail) => Problem(status, code.ToString(), detail);

    private static ProblemHttpResult Problem(int status, string code, string detail) => TypedResults.Problem(
        statusCode: status, title: code, detail: detail, type: $"https://coordinator.example/problems/{code}",
        extensions: new Dictionary<string, object?> { ["code"] = code });
}

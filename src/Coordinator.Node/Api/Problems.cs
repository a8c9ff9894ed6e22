using Coordinator.Cluster;
using Coordinator.Domain;

namespace Coordinator.Node.Api;

/// <summary>Every refusal as RFC 7807 problem details, with the domain's reason code.</summary>
public static class Problems
{
    public static IResult Of(Refusal refusal) => Problem(StatusOf(refusal), refusal.Code.ToString(), refusal.Reason);

    public static int StatusOf(Refusal refusal) => refusal switch
    {
        { IsNotFound: true } => StatusCodes.Status404NotFound,
        { IsInvalid: true } => StatusCodes.Status400BadRequest,
        { Code: RefusalCode.Unavailable } => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status409Conflict,
    };

    public static IResult Invalid(string detail) => Problem(StatusCodes.Status400BadRequest, nameof(RefusalCode.InvalidField), detail);

    public static IResult InvalidId(string what, string? id) =>
        Problem(StatusCodes.Status400BadRequest, nameof(RefusalCode.InvalidId), $"{what} '{id}' must be 1-{Ids.MaxLength} characters of A-Z a-z 0-9 . _ -");

    public static IResult TooLarge(long limit) => Problem(StatusCodes.Status413PayloadTooLarge, "BodyTooLarge", $"the request body is larger than {limit} bytes");

    public static IResult Unexpected(object reply) =>
        Of(CommandRefused.Unavailable($"the coordinator (answered {reply.GetType().Name})").Refusal);

    public static IResult Problem(int status, string code, string detail) => Results.Problem(
        statusCode: status, title: code, detail: detail, type: $"https://coordinator.example/problems/{code}",
        extensions: new Dictionary<string, object?> { ["code"] = code });
}

using System.Text.RegularExpressions;

namespace Coordinator.Node.Http;

/// <summary>
/// A query or route value that does not bind (<c>?limit=abc</c>, <c>?days=99999999999</c>) answered as every refusal is:
/// 400 <c>InvalidField</c> naming the parameter and where it was sent, never its value (it may be a name). The framework
/// throws rather than answering an empty 400 (<see cref="RouteHandlerOptions.ThrowOnBadRequest"/>), and this catches it
/// before the exception handler would log it as an error and answer 500.
/// </summary>
public static partial class BadRequests
{
    public static IServiceCollection ThrowOnBadRequest(this IServiceCollection services) =>
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);

    public static IApplicationBuilder UseBadRequestProblems(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        try
        {
            await next(context);
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted && e.StatusCode is 400 or 413 or 415)
        {
            var problem = e.StatusCode switch
            {
                StatusCodes.Status413PayloadTooLarge => Problems.Problem(e.StatusCode, ProblemCode.BodyTooLarge, "the request body is too large"),
                StatusCodes.Status415UnsupportedMediaType =>
                    Problems.Problem(e.StatusCode, ProblemCode.UnsupportedMediaType, "send application/json"),
                _ => Problems.Invalid(Detail(e.Message, context.Request)),
            };
            await problem.ExecuteAsync(context);
        }
    });

    /// <summary>What failed, from the framework's message, without the value it echoes.</summary>
    private static string Detail(string message, HttpRequest request)
    {
        if (Parameter().Match(message) is not { Success: true } m) return "the request could not be read";
        var (type, name) = (m.Groups["type"].Value, m.Groups["name"].Value);
        var where = request.Query.ContainsKey(name) ? "the query" : request.RouteValues.ContainsKey(name) ? "the path" : "the request";
        if (message.StartsWith("Required", StringComparison.Ordinal)) return $"'{name}' is required in {where}";
        var expected = (Nullable().Match(type) is { Success: true } inner ? inner.Groups[1].Value : type) switch
        {
            "int" => $"a whole number from {int.MinValue} to {int.MaxValue}",
            "long" => $"a whole number from {long.MinValue} to {long.MaxValue}",
            "bool" => "true or false",
            var other => $"a valid {other}",
        };
        return $"'{name}' in {where} must be {expected}";
    }

    // "Failed to bind parameter "Nullable<int> limit" from "…"." and "Required parameter "int days" was not provided from …".
    [GeneratedRegex(@"parameter ""(?<type>[^""]+) (?<name>[^"" ]+)""")]
    private static partial Regex Parameter();

    [GeneratedRegex(@"^Nullable<(.+)>$")]
    private static partial Regex Nullable();
}

using Coordinator.Node.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Coordinator.Node;

/// <summary>
/// The limits on a request's path and query, its header fields and their count, refused as any other answer is: with a
/// problem and the security headers. Kestrel refuses a request past its own limits before any middleware runs, with
/// a bare 414 or 431 (it resets the answer's headers to Date, Server and Content-Length, and no callback runs), so
/// Kestrel's limits are set well above these and the request reaches <see cref="UseRequestHeadLimits"/>. What passes
/// Kestrel's raised limits, or cannot be parsed at all, still gets Kestrel's bare answer (docs/security.md).
/// </summary>
public static class RequestHeadLimits
{
    // Kestrel's defaults, kept as the node's own limits.
    public const int MaxTarget = 8 * 1024;
    public const int MaxHeaders = 32 * 1024;
    public const int MaxHeaderCount = 100;

    /// <summary>Kestrel's limits, raised so that a request past ours reaches the pipeline: 8 times ours, as memory a connection may hold.</summary>
    public static void Raise(KestrelServerLimits limits)
    {
        limits.MaxRequestLineSize = 8 * MaxTarget;
        limits.MaxRequestHeadersTotalSize = 8 * MaxHeaders;
        limits.MaxRequestHeaderCount = 8 * MaxHeaderCount;
    }

    public static IApplicationBuilder UseRequestHeadLimits(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget.Length ?? 0;
        var (size, count) = (0, 0);
        foreach (var (name, values) in context.Request.Headers)
            foreach (var value in values)
                (size, count) = (size + name.Length + (value?.Length ?? 0) + 4, count + 1); // "name: value\r\n"
        var problem = target > MaxTarget
            ? Problems.Problem(StatusCodes.Status414UriTooLong, ProblemCode.UriTooLong, $"the path and query are longer than {MaxTarget} characters")
            : size > MaxHeaders || count > MaxHeaderCount
            ? Problems.Problem(StatusCodes.Status431RequestHeaderFieldsTooLarge, ProblemCode.HeadersTooLarge,
                $"the header fields are over {MaxHeaders} bytes or {MaxHeaderCount} fields")
            : null;
        return problem is null ? next(context) : problem.ExecuteAsync(context);
    });
}

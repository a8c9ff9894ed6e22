namespace Coordinator.Node;

/// <summary>
/// The headers every answer carries — pages, static files, the field app, API answers and their errors, /metrics
/// and the streams — set before anything else runs, so no later middleware or endpoint can answer without them.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>Nothing inline and nothing from elsewhere: the pages load their scripts and styles as files from this node.</summary>
    public const string Policy = "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    /// <summary>
    /// The Swagger UI at /api-docs only: its index page runs inline scripts and styles, so this one path allows them.
    /// Nothing else is relaxed, and it still may not be framed nor load anything from elsewhere.
    /// </summary>
    public const string ApiDocsPolicy = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
        + "img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    // Set as the answer starts, not as the request comes in: the exception handler clears the headers of an answer it replaces.
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        var docs = context.Request.Path.StartsWithSegments("/api-docs");
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = docs ? ApiDocsPolicy : Policy;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            return Task.CompletedTask;
        });
        return next(context);
    });
}

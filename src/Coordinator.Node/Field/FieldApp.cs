using Microsoft.Extensions.FileProviders;

namespace Coordinator.Node.Field;

/// <summary>The field units' phone app at /field/: a folder of the embedded pages, whose index the default-files middleware cannot list.</summary>
public static class FieldApp
{
    public static IEndpointRouteBuilder MapFieldApp(this IEndpointRouteBuilder app, IFileProvider pages)
    {
        var index = pages.GetFileInfo("field/index.html");
        // Routing matches /field and /field/ alike; the service worker's scope is /field/, so the app lives there only.
        app.MapGet("/field/", (HttpRequest request) => request.Path.Value!.EndsWith('/')
            ? Results.Stream(index.CreateReadStream(), "text/html; charset=utf-8")
            : Results.Redirect("/field/")).ExcludeFromDescription();
        return app;
    }
}

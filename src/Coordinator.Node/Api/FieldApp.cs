using Microsoft.Extensions.FileProviders;

namespace Coordinator.Node.Api;

/// <summary>The field units' phone app at /field/: a folder of the embedded pages, whose index the default-files middleware cannot list.</summary>
public static class FieldApp
{
    public static IEndpointRouteBuilder MapFieldApp(this IEndpointRouteBuilder app, IFileProvider pages)
    {
        var index = pages.GetFileInfo("field/index.html");
        // The manifest's start_url and the service worker's scope are /field/: one address for the app, with or without the slash.
        app.MapGet("/field", () => Results.Redirect("/field/")).ExcludeFromDescription();
        app.MapGet("/field/", () => Results.Stream(index.CreateReadStream(), "text/html; charset=utf-8")).ExcludeFromDescription();
        return app;
    }
}

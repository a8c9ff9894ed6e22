using Akka.Actor;
using Microsoft.Extensions.FileProviders;
using Akka.Hosting;
using Coordinator.Cluster;
using Coordinator.Cluster.Hosting;
using Coordinator.Node.Api;

namespace Coordinator.Node;

/// <summary>The node: the actor system and the HTTP API on one ASP.NET Core host. Tests build it the same way.</summary>
public static class NodeApp
{
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var settings = builder.Configuration.GetSection("Coordinator").Get<CoordinatorSettings>() ?? new CoordinatorSettings();

        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = FacilityEndpoints.LayoutLimit);
        builder.Services.ConfigureHttpJsonOptions(o => ApiJson.Configure(o.SerializerOptions));
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi();
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(builder.Configuration.GetSection("Coordinator:Api").Get<ApiSettings>() ?? new ApiSettings());
        builder.Services.AddSingleton(new JournalProbe(settings.Persistence));
        builder.Services.AddSingleton(sp => new JournalReader(sp.GetRequiredService<ActorSystem>()));
        builder.Services.AddSingleton<Gateway>();
        builder.Services.AddSingleton<LiveBoard>();
        builder.Services.AddSingleton(builder.Configuration.GetSection("Coordinator:Stream").Get<StreamSettings>() ?? new StreamSettings());
        builder.Services.AddAkka(CoordinatorHosting.SystemName, (akka, _) => akka.WithCoordinator(settings));

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.MapOpenApi();
        app.UseSwaggerUI(o =>
        {
            o.RoutePrefix = "api-docs";
            o.SwaggerEndpoint("/openapi/v1.json", "Coordinator API");
        });
        var dashboard = new EmbeddedFileProvider(typeof(NodeApp).Assembly, "Coordinator.Node.wwwroot");
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = dashboard });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = dashboard });
        app.MapHealth().MapFacilities().MapTeams().MapReports().MapLive().MapReportPage();
        return app;
    }
}

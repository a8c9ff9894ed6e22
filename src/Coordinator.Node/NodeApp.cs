using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.DependencyInjection;
using Akka.Hosting;
using Coordinator.Cluster;
using Coordinator.Cluster.Control;
using Coordinator.Cluster.Hosting;
using Coordinator.Cluster.Views;
using Coordinator.Domain.Access;
using Coordinator.Domain.Family;
using Coordinator.Domain.Sectors;
using Coordinator.Domain.Views;
using Coordinator.Node.Access;
using Coordinator.Node.Admin;
using Coordinator.Node.Demo;
using Coordinator.Node.Facilities;
using Coordinator.Node.Family;
using Coordinator.Node.Field;
using Coordinator.Node.Http;
using Coordinator.Node.Live;
using Coordinator.Node.Printed;
using Coordinator.Node.Teams;
using Microsoft.Extensions.FileProviders;
using OpenTelemetry.Metrics;

namespace Coordinator.Node;

/// <summary>The node: the actor system and the HTTP API on one ASP.NET Core host. Tests build it the same way.</summary>
public static class NodeApp
{
    /// <param name="args">Command-line settings; <c>--demo</c> also seeds and drives a simulated operation.</param>
    public static WebApplication Build(string[] args)
    {
        var demo = args.Contains("--demo");
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            // Settings are read once, at start: watching appsettings.json for changes would watch the whole content
            // folder and wake a file watcher on every commit of a journal kept there (its cost is in docs/benchmarks.md).
            Args = [.. args.Where(a => a != "--demo"), "--hostBuilder:reloadConfigOnChange=false"],
            // appsettings.json is read beside the executable wherever the node is started from (cluster.sh starts it
            // from its own folder); without it logging stayed at Information. The data folder stays where it was,
            // relative to the working directory (docs/operations.md).
            ContentRootPath = AppContext.BaseDirectory,
        });
        var settings = NodeSettings.Read<CoordinatorSettings>(builder.Configuration);
        // Seeds also as one comma-separated value (Coordinator__Cluster__Seeds=a,b), the handy form for compose and Kubernetes.
        if (builder.Configuration["Coordinator:Cluster:Seeds"] is { Length: > 0 } seeds)
        {
            var list = seeds.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            settings = settings with { Cluster = settings.Cluster with { Seeds = list } };
        }
        settings = settings with { Persistence = DemoData.Apart(settings.Persistence, demo) };
        var auth = NodeSettings.Read<AuthSettings>(builder.Configuration);
        // Each node of a cluster keeps its own ledger, beside its own secrets rather than in the shared database.
        if (settings.Persistence.ErasureLedgerPath() is null)
            settings = settings with
            {
                Persistence = settings.Persistence with
                {
                    ErasureLedger = Path.Combine(auth.DataFolder, PersistenceSettings.LedgerFileName),
                },
            };
        if (string.Equals(builder.Configuration[NodeSettings.LoggingFormat], "json", StringComparison.OrdinalIgnoreCase))
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddJsonConsole(o => { o.UseUtcTimestamp = true; o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ "; });
        }

        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = FacilityEndpoints.LayoutLimit;
            RequestHeadLimits.Raise(k.Limits);
        });
        builder.Services.ConfigureHttpJsonOptions(o => ApiJson.Configure(o.SerializerOptions));
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = Problems.NameTheCode);
        builder.Services.ThrowOnBadRequest(); // a value that does not bind is answered by UseBadRequestProblems, naming it
        builder.Services.AddOpenApi(OpenApiContract.Configure);
        builder.Services.AddSingleton(settings);
        var secrets = builder.AddCoordinatorAccess(auth);
        builder.Services.AddSingleton(new ReportPrints(secrets.ReportKey));
        builder.Services.AddSingleton(NodeSettings.Read<ApiSettings>(builder.Configuration));
        builder.Services.AddSingleton(new JournalProbe(settings.Persistence));
        builder.Services.AddSingleton<JournalWatch>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<JournalWatch>());
        builder.Services.AddSingleton(sp => new JournalReader(sp.GetRequiredService<ActorSystem>()));
        builder.Services.AddSingleton<NodeShutdown>();
        builder.Services.AddSingleton<Gateway>();
        builder.Services.AddSingleton(sp => Published<AccessView>.For(sp.GetRequiredService<ActorSystem>()));
        builder.Services.AddSingleton(sp => Published<Board>.For(sp.GetRequiredService<ActorSystem>()));
        builder.Services.AddSingleton(sp => Published<FamilyDesk>.For(sp.GetRequiredService<ActorSystem>()));
        builder.Services.AddSingleton<ClusterControl>();
        builder.Services.AddSingleton(NodeSettings.Read<StreamSettings>(builder.Configuration));
        builder.Services.AddSingleton<StreamAccess>();
        builder.Services.AddSingleton(NodeSettings.Read<TeamSettings>(builder.Configuration).Shift());
        builder.Services.AddSingleton(sp => new LinkTickets(sp.GetRequiredService<Secrets>(), TimeProvider.System));
        builder.Services.AddSingleton<StreamTickets>();
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(Telemetry.MeterName)
            .AddAspNetCoreInstrumentation()
            .AddPrometheusExporter());
        builder.Services.AddSingleton(NodeSettings.Read<FamilySettings>(builder.Configuration).Checked());
        builder.Services.AddAkka(CoordinatorHosting.SystemName, (akka, sp) => akka
            .WithCoordinator(settings, sp.GetRequiredService<ReportPrints>())
            // Once per cluster, not once per node: the oldest node runs it and hands it over when it leaves.
            .WithSingleton<InquiryRetention>(InquiryRetention.SingletonName, (_, _, resolver) => resolver.Props<InquiryRetention>(),
                createProxyToo: false));
        builder.Services.AddHostedService<ClusterGauges>(); // after the actor system's own start
        if (demo)
        {
            builder.Services.AddSingleton(NodeSettings.Read<DemoSettings>(builder.Configuration));
            builder.Services.AddHostedService<DemoOperation>();
        }

        builder.Services.AddLogScrubbing(); // last: every logger the host hands out, Akka's included
        var app = builder.Build();
        // Its shutdown tasks are registered once the actor system runs, before any request could be the first.
        app.Lifetime.ApplicationStarted.Register(() => app.Services.GetRequiredService<NodeShutdown>());
        app.UseSecurityHeaders(); // first: errors, refusals and static files carry them too
        app.UseRequestHeadLimits(); // the limits Kestrel would enforce without the headers
        app.UseExceptionHandler();
        app.UseStatusCodePages(Problems.FromStatusCode);
        app.UseBadRequestProblems();
        app.UseRevocationsRead();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        if (secrets.CreatedBootstrapFile is { } file)
            app.Logger.LogWarning("First start: a bootstrap token with lead and admin rights is in {File} (readable by this user only). "
                + "Use it to issue tokens, then keep it safe.", file);
        // Counts and durations only, never what a report says: open like the health probes, for the scraper.
        app.MapPrometheusScrapingEndpoint("/metrics");
        app.MapOpenApi();
        app.UseSwaggerUI(o =>
        {
            o.RoutePrefix = "api-docs";
            o.SwaggerEndpoint("/openapi/v1.json", "Coordinator API");
        });
        var dashboard = new EmbeddedFileProvider(typeof(NodeApp).Assembly, "Coordinator.Node.wwwroot");
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = dashboard });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = dashboard });
        app.MapFieldApp(dashboard);
        app.MapHealth().MapFacilities().MapTeams().MapReports().MapLive().MapStreamTickets().MapReportPage().MapAccess().MapEnrolments()
            .MapFamilyDesk().MapInquiryImport().MapFamilySlip().MapNoticeBoard().MapAdmin().MapOperation(demo);
        return app;
    }
}

using Akka.Hosting;
using Coordinator.Cluster.Hosting;

var builder = WebApplication.CreateBuilder(args);
var settings = builder.Configuration.GetSection("Coordinator").Get<CoordinatorSettings>() ?? new CoordinatorSettings();

builder.Services.AddAkka(CoordinatorHosting.SystemName, (akka, _) => akka.WithCoordinator(settings));

var app = builder.Build();
app.MapGet("/", () => Results.Text("Coordinator node: the HTTP API is under /api."));

// RunAsync returns on SIGTERM after the actor system has shut down (Akka.Hosting stops it with the host).
await app.RunAsync();

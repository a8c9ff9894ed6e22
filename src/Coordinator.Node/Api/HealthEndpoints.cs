using Akka.Actor;
using Coordinator.Cluster.Hosting;
using Coordinator.Cluster.Views;

namespace Coordinator.Node.Api;

public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        var health = app.MapGroup("/healthz").WithTags("Health");
        // Live: the process answers. A failing liveness probe restarts the node, so it checks nothing else.
        health.MapGet("/live", () => Results.Ok(new { status = "live" })).WithSummary("Tells whether the node process is up");
        // Ready: the actor system runs, this node is an Up member of the cluster, the journal answers, and the
        // live view has read the journal (its revocations, the board readers are served).
        health.MapGet("/ready", async (ActorSystem system, JournalProbe journal, NodeShutdown shutdown, PublishedBoard board, CancellationToken ct) =>
        {
            var member = Akka.Cluster.Cluster.Get(system).SelfMember.Status;
            var checks = new Dictionary<string, string>
            {
                ["actorSystem"] = system.WhenTerminated.IsCompleted ? "terminated" : shutdown.Stopping ? "stopping" : "running",
                ["cluster"] = member.ToString(),
                ["journal"] = await journal.ReachableAsync(ct) ? "reachable" : "unreachable",
                ["liveView"] = board.IsCurrent ? "current" : "replaying",
            };
            var ready = checks["actorSystem"] == "running" && member == Akka.Cluster.MemberStatus.Up
                && checks["journal"] == "reachable" && board.IsCurrent;
            return Results.Json(new { status = ready ? "ready" : "not ready", checks }, statusCode: ready ? 200 : 503);
        }).WithSummary("Tells whether this node can serve: actor system, cluster membership, journal and live view");
        return app;
    }
}

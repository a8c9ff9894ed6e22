using Akka.Actor;
using Coordinator.Cluster.Hosting;
using Coordinator.Cluster.Views;
using Coordinator.Domain.Access;
using Coordinator.Domain.Family;
using Coordinator.Domain.Views;

namespace Coordinator.Node.Admin;

public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        var health = app.MapGroup("/healthz").WithTags("Health");
        // Live: the process answers. A failing liveness probe restarts the node, so it checks nothing else.
        health.MapGet("/live", () => TypedResults.Ok(new LivenessView("live"))).WithSummary("Tells whether the node process is up")
            .WithDescription("Open, without a token, and outside the rate limit. It answers 200 with status live whenever the process answers, and "
                + "checks nothing else (GET /healthz/ready does).");
        // Ready: the actor system runs, this node is an Up member of the cluster, the journal answers, and the access
        // projection has read the revocations: then reports and leads' commands are served. The operations and family
        // projections are reported too; until each is current its own routes answer 503 with Retry-After.
        health.MapGet("/ready", async (ActorSystem system, JournalProbe journal, NodeShutdown shutdown, Published<AccessView> access,
            Published<Board> operations, Published<FamilyDesk> family, CancellationToken ct) =>
        {
            static string State(bool current) => current ? "current" : "replaying";
            var member = Akka.Cluster.Cluster.Get(system).SelfMember.Status;
            var checks = new Dictionary<string, string>
            {
                ["actorSystem"] = system.WhenTerminated.IsCompleted ? "terminated" : shutdown.Stopping ? "stopping" : "running",
                ["cluster"] = member.ToString(),
                ["journal"] = await journal.ReachableAsync(ct) ? "reachable" : "unreachable",
                ["access"] = State(access.IsCurrent),
            };
            var projections = new Dictionary<string, string>
            {
                [AccessProjection.Instance.Name] = State(access.IsCurrent),
                [OperationsProjection.Instance.Name] = State(operations.IsCurrent),
                [FamilyProjection.Instance.Name] = State(family.IsCurrent),
            };
            var ready = checks["actorSystem"] == "running" && member == Akka.Cluster.MemberStatus.Up
                && checks["journal"] == "reachable" && access.IsCurrent;
            return Results.Json(new ReadinessView(ready ? "ready" : "not ready", checks, projections), ApiJson.Options,
                statusCode: ready ? 200 : 503);
        }).WithSummary("Tells whether this node can serve: actor system, cluster membership, journal, and which projections are current")
            .WithDescription("Open, without a token, and outside the rate limit. 200 when the actor system runs, this node is an Up member, the "
                + "journal answers and the token revocations are read; 503 otherwise. Either way it lists each check and whether each projection is "
                + "current or still replaying: a route that reads a replaying projection answers 503 until it is current.")
            .Produces<ReadinessView>().Produces<ReadinessView>(StatusCodes.Status503ServiceUnavailable);
        return app;
    }
}

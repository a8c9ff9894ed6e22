namespace Coordinator.Node.Admin;

/// <summary>What kind of operation this node runs: every page shows a "simulated" banner while it is the demo.</summary>
public static class OperationEndpoints
{
    // Open, like the health probes: the pages ask before signing in, and it says nothing about the operation itself.
    public static IEndpointRouteBuilder MapOperation(this IEndpointRouteBuilder app, bool simulated)
    {
        app.MapGet("/api/operation", () => TypedResults.Ok(new OperationView(simulated)))
            .WithSummary("Tells whether this node runs a simulated (demo) operation")
            .WithDescription("Open, without a token: the pages ask before signing in. The simulated field is true while the node runs the demo "
                + "operation (--demo), on its own database; nothing else about the operation is said.")
            .WithTags("Health")
            .Produces<OperationView>();
        return app;
    }
}

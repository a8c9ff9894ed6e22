using Akka.Actor;
using Coordinator.Cluster.Control;
using Coordinator.Node.Access;
using Coordinator.Node.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Coordinator.Node.Admin;

/// <summary>Cluster inspection and control: admin tokens only (`coord cluster …`).</summary>
public static class AdminEndpoints
{
    public static IEndpointRouteBuilder MapAdmin(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/admin/cluster").WithTags("Cluster control").RequireAuthorization(Roles.Administer);
        admin.MapGet("", async (ClusterControl control, ApiSettings settings, CancellationToken ct) =>
                TypedResults.Ok(await control.Show(settings.AskTimeout, ct)))
            .WithSummary("Shows the cluster's members")
            .WithDescription("Admin only. This node's view of the cluster: each member, oldest first, with its address, status, roles, reachability "
                + "and when it came up; the leader; the unreachable members.")
            .Produces<ClusterView>();
        admin.MapPost("/leave", (HttpRequest http, ClusterControl control) => Control(http, control.Leave))
            .WithSummary("Asks a member to leave the cluster gracefully")
            .WithDescription("Admin only. The address is a member's, like akka.tcp://coordinator@10.0.0.5:4053; the member hands its shards over "
                + "before it stops. 202 says the cluster was asked, which acts in its own time; 404 MemberNotFound for an address that is not a "
                + "member, 400 for one that cannot be read.")
            .Accepts<MemberRequest>("application/json")
            .Produces<MemberControlView>(StatusCodes.Status202Accepted);
        admin.MapPost("/down", (HttpRequest http, ClusterControl control) => Control(http, control.Down))
            .WithSummary("Marks a member as down, so the cluster goes on without it")
            .WithDescription("Admin only, for a member known to be dead: its shards move without waiting for it. The route does not check that the "
                + "member is unreachable; 202 says the cluster was asked, 404 MemberNotFound for an address that is not a member.")
            .Accepts<MemberRequest>("application/json")
            .Produces<MemberControlView>(StatusCodes.Status202Accepted);
        admin.MapGet("/shards", async (ClusterControl control, ApiSettings settings, CancellationToken ct) =>
                TypedResults.Ok(await control.Shards(settings.AskTimeout, ct)))
            .WithSummary("Lists the shard regions and where their shards live")
            .WithDescription("Admin only. For each shard region and node, the shards it hosts and the entities alive in them, as the whole cluster "
                + "reports them.")
            .Produces<RegionView[]>();
        admin.MapGet("/actors", async (ClusterControl control, CancellationToken ct) =>
                TypedResults.Ok(await control.Actors(TimeSpan.FromMilliseconds(500), ct)))
            .WithSummary("Lists this node's entity actors")
            .WithDescription("Admin only. This node's actor tree two levels under /user and /system/sharding, each actor with its number of "
                + "children; an actor that does not answer within half a second is left out.")
            .Produces<ActorView[]>();
        return app.MapBackups();
    }

    private static async Task<Results<Accepted<MemberControlView>, ProblemHttpResult>> Control(HttpRequest http, Func<Address, ControlOutcome> act)
    {
        var (body, problem) = await RequestBody.ReadAsync<MemberRequest>(http);
        if (problem is not null) return problem;
        if (Validate.Required("address", body!.Address) is { } missing) return missing;
        Address address;
        try { address = Address.Parse(body.Address!); }
        catch (Exception e) when (e is UriFormatException or ArgumentException or FormatException)
        {
            return Problems.Invalid($"'{body.Address}' is not a member address like akka.tcp://coordinator@10.0.0.5:4053");
        }
        return act(address) switch
        {
            ControlOutcome.Done => TypedResults.Accepted((string?)null, new MemberControlView(address.ToString(), "Requested")),
            _ => Problems.Problem(StatusCodes.Status404NotFound, ProblemCode.MemberNotFound, $"{address} is not a member of this cluster"),
        };
    }
}

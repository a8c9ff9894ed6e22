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
            .Produces<ClusterView>();
        admin.MapPost("/leave", (HttpRequest http, ClusterControl control) => Control(http, control.Leave))
            .WithSummary("Asks a member to leave the cluster gracefully")
            .Accepts<MemberRequest>("application/json")
            .Produces<MemberControlView>(StatusCodes.Status202Accepted);
        admin.MapPost("/down", (HttpRequest http, ClusterControl control) => Control(http, control.Down))
            .WithSummary("Marks an unreachable member as down")
            .Accepts<MemberRequest>("application/json")
            .Produces<MemberControlView>(StatusCodes.Status202Accepted);
        admin.MapGet("/shards", async (ClusterControl control, ApiSettings settings, CancellationToken ct) =>
                TypedResults.Ok(await control.Shards(settings.AskTimeout, ct)))
            .WithSummary("Lists the shard regions and where their shards live")
            .Produces<RegionView[]>();
        admin.MapGet("/actors", async (ClusterControl control, CancellationToken ct) =>
                TypedResults.Ok(await control.Actors(TimeSpan.FromMilliseconds(500), ct)))
            .WithSummary("Lists this node's entity actors")
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

using System.Text.Json.Nodes;
using Coordinator.Node.Tests.Support;

namespace Coordinator.Node.Tests;

/// <summary>Cluster inspection and control on one real node, through the admin API and `coord cluster`.</summary>
public class ClusterControlTests : IAsyncLifetime
{
    private NodeUnderTest _node = null!;

    public async ValueTask InitializeAsync() => _node = await NodeUnderTest.StartAsync();
    public async ValueTask DisposeAsync() => await _node.DisposeAsync();

    private Task<(int Exit, string Out, string Err)> Coord(params string[] args) =>
        CoordRunner.Run(_node.BaseAddress, Path.Combine(_node.DataFolder, "outbox.jsonl"),
            NodeUnderTest.BootstrapToken, [.. args, "--timeout", "10"]);

    [Fact]
    public async Task An_admin_sees_the_members_their_shards_and_the_actor_tree()
    {
        var (status, view) = await _node.Get("/api/admin/cluster");
        Assert.Equal(200, status);
        var self = (string)view!["self"]!;
        Assert.StartsWith("akka.tcp://coordinator@127.0.0.1:", self);
        var member = view["members"]!.AsArray().Single()!;
        Assert.Equal(("Up", true, true, true),
            ((string)member["status"]!, (bool)member["leader"]!, (bool)member["reachable"]!, (bool)member["self"]!));
        Assert.NotNull(member["upSince"]);

        // Touch one facility so a shard and an entity exist.
        Assert.Equal(201, (await _node.Post("/api/facilities", new { id = "adra", name = "Adra" })).Status);
        var shards = await Coord("cluster", "shards", "--json");
        Assert.Equal(0, shards.Exit);
        var facility = JsonNode.Parse(shards.Out)!.AsArray().Single(r => (string)r!["region"]! == "facility")!;
        Assert.Equal((self, 1, 1), ((string)facility["node"]!, (int)facility["shards"]!, (int)facility["entities"]!));

        var actors = await Coord("cluster", "actors");
        Assert.Equal(0, actors.Exit);
        Assert.Contains("/user/family-projection", actors.Out);
        Assert.Contains("/system/sharding/facility", actors.Out);

        var shown = await Coord("cluster", "show");
        Assert.Equal(0, shown.Exit);
        Assert.Contains(self, shown.Out);
    }

    [Fact]
    public async Task Leave_and_down_refuse_what_is_not_a_member_and_others_may_not_use_them()
    {
        var bad = await Coord("cluster", "down", "not an address");
        Assert.Equal((2, true), (bad.Exit, bad.Err.Contains("InvalidField")));
        var stranger = await Coord("cluster", "leave", "akka.tcp://coordinator@127.0.0.1:1");
        Assert.Equal((3, true), (stranger.Exit, stranger.Err.Contains("MemberNotFound")));
        var lead = (string)(await _node.Post("/api/tokens", new { role = "lead", expires = "1h" })).Body!["token"]!;
        using var http = _node.Client(lead);
        Assert.Equal(403, (int)(await http.GetAsync("/api/admin/cluster", TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal("Up", (string)(await _node.Get("/api/admin/cluster")).Body!["members"]![0]!["status"]!); // nothing changed
    }
}

using System.CommandLine;
using System.Text.Json.Nodes;

namespace Coordinator.Cli;

public static partial class Coord
{
    // Members, regions and actors are Coordinator.Cluster's records, not the contract's: coord, which does not carry
    // the cluster's code, reads them by their JSON names.
    private static IEnumerable<Command> ClusterCommands(LeafFactory leaf)
    {
        yield return leaf("show", "Members: address, status, roles, leader, reachable, up since", async (_, c, ct) =>
            c.Output.Show(await c.Api.Get("/api/admin/cluster", ct), view =>
            {
                c.Output.Fields(("self", view["self"]), ("leader", view["leader"]));
                c.Output.Table(view["members"]!.AsArray(), ("ADDRESS", m => (string)m["address"]!), ("STATUS", m => (string)m["status"]!),
                    ("ROLES", m => Output.Text(m["roles"])), ("LEADER", m => (bool)m["leader"]! ? "yes" : ""),
                    ("REACHABLE", m => (bool)m["reachable"]! ? "yes" : "NO"), ("UP SINCE", m => Output.Text(m["upSince"])));
            }));

        var address = Arg("address", "A member's address, e.g. akka.tcp://coordinator@10.0.0.5:4053");
        foreach (var (verb, description) in new[]
            {
                ("leave", "Ask a member to leave gracefully (its shards are handed over)"),
                ("down", "Mark a dead member down so its shards move now"),
            })
            yield return leaf(verb, description, async (p, c, ct) =>
                c.Output.Show<MemberControlView>(await c.Api.Post($"/api/admin/cluster/{verb}", Api.Body(new MemberRequest(p.GetValue(address))), ct),
                    r => c.Output.Fields(("address", r.Address), ("outcome", r.Outcome))), address);

        yield return leaf("shards", "Per node: shard regions, shards and live entities", async (_, c, ct) =>
            c.Output.Show(await c.Api.Get("/api/admin/cluster/shards", ct), rows => c.Output.Table(rows.AsArray(),
                ("REGION", r => (string)r["region"]!), ("NODE", r => (string)r["node"]!),
                ("SHARDS", r => Output.Text(r["shards"])), ("ENTITIES", r => Output.Text(r["entities"])))));

        yield return leaf("actors", "A summary of the answering node's actor tree", async (_, c, ct) =>
            c.Output.Show(await c.Api.Get("/api/admin/cluster/actors", ct), rows => c.Output.Table(rows.AsArray(),
                ("ACTOR", r => (string)r["path"]!), ("CHILDREN", r => Output.Text(r["children"])))));
    }
}

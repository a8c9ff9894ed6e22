using System.CommandLine;
using System.Text.Json.Nodes;

namespace Coordinator.Cli;

public static partial class Coord
{
    private static IEnumerable<Command> TokenCommands(LeafFactory leaf)
    {
        var role = Opt<string>("--role", "lead, field, monitor, admin or familydesk", required: true);
        var team = Opt<string>("--team", "The team a field token reports for");
        var expires = Opt<string>("--expires", "Lifetime: 30m, 12h, 7d (default 12h)");
        yield return leaf("issue", "Issue a token; it is printed once and never stored", async (p, c, ct) =>
            c.Output.Show(await c.Api.Post("/api/tokens", new JsonObject { ["role"] = p.GetValue(role), ["team"] = p.GetValue(team), ["expires"] = p.GetValue(expires) }, ct),
                t => c.Output.Fields(t, "id", "role", "team", "expiresAt", "token")), role, team, expires);

        yield return leaf("list", "Tokens issued (never the tokens themselves)", async (_, c, ct) =>
            c.Output.Show(await c.Api.Get("/api/tokens", ct), list => c.Output.Table(list.AsArray(),
                ("ID", t => (string)t["id"]!), ("ROLE", t => (string)t["role"]!), ("TEAM", t => Output.Text(t["team"])),
                ("EXPIRES", t => (string)t["expiresAt"]!), ("REVOKED", t => Output.Text(t["revokedAt"])))));

        var id = Arg("id", "Token id, e.g. tk-1a2b3c4d5e6f7a8b");
        yield return leaf("revoke", "Revoke a token on every node", async (p, c, ct) =>
            c.Output.Show(await c.Api.Post(Api.Path("api", "tokens", p.GetValue(id)!, "revoke"), null, ct), t => c.Output.Fields(t, "id", "role", "team", "revokedAt")), id);
    }
}

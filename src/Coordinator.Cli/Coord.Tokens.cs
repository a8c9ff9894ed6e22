using System.CommandLine;
using QRCoder;

namespace Coordinator.Cli;

public static partial class Coord
{
    private static IEnumerable<Command> TokenCommands(LeafFactory leaf)
    {
        var role = Opt<string>("--role", "lead, field, monitor, admin or familydesk", required: true);
        var team = Opt<string>("--team", "The team a field token reports for");
        var expires = Opt<string>("--expires", "Lifetime: 30m, 12h, 7d (default 12h)");
        yield return leaf("issue", "Issue a token; it is printed once and never stored", async (p, c, ct) =>
            c.Output.Show<IssuedTokenView>(await c.Api.Post("/api/tokens",
                Api.Body(new IssueTokenRequest(p.GetValue(role), p.GetValue(team), p.GetValue(expires))), ct),
                t => c.Output.Fields(("id", t.Id), ("role", t.Role), ("team", t.Team), ("expiresAt", t.ExpiresAt), ("token", t.Token))),
            role, team, expires);

        yield return leaf("list", "Tokens issued (never the tokens themselves)", async (_, c, ct) =>
            c.Output.Show<TokenView[]>(await c.Api.Get("/api/tokens", ct), list => c.Output.Table(list,
                ("ID", t => t.Id), ("ROLE", t => t.Role), ("TEAM", t => Output.Text(t.Team)),
                ("EXPIRES", t => Output.Text(t.ExpiresAt)), ("REVOKED", t => Output.Text(t.RevokedAt)))));

        var enrolTeam = Opt<string>("--team", "The team whose phone is enrolled", required: true);
        var codeExpires = Opt<string>("--expires", "How long the code can be redeemed: 15m (default), 1h");
        var tokenExpires = Opt<string>("--token-expires", "Lifetime of the field token the phone gets: 12h (default), 2d");
        yield return leaf("enrol", "A one-time code, and its QR code, that a team's phone redeems for the team's field token", async (p, c, ct) =>
            c.Output.Show<EnrolmentView>(await c.Api.Post("/api/enrolments",
                Api.Body(new EnrolmentRequest(p.GetValue(enrolTeam), p.GetValue(codeExpires), p.GetValue(tokenExpires))), ct),
                e => Enrolment(c.Output, e)), enrolTeam, codeExpires, tokenExpires);

        var id = Arg("id", "Token id, e.g. tk-1a2b3c4d5e6f7a8b");
        var withIssued = new Option<bool>("--with-issued")
        {
            Description = "Also revoke every token issued through it (by its holder, or by phones enrolled with its codes)",
        };
        yield return leaf("revoke", "Revoke a token on every node", async (p, c, ct) =>
            c.Output.Show<TokenView>(await c.Api.Post(Api.Path("api", "tokens", p.GetValue(id)!, "revoke")
                    + (p.GetValue(withIssued) ? "?withIssued=true" : ""), null, ct),
                t => c.Output.Fields(("id", t.Id), ("role", t.Role), ("team", t.Team), ("revokedAt", t.RevokedAt))), id, withIssued);
    }

    /// <summary>The code boxed and spaced, to be read out without a slip; the link, and its QR code for the phone's camera.</summary>
    private static void Enrolment(Output output, EnrolmentView enrolment)
    {
        var code = string.Join(' ', enrolment.Code.ToCharArray());
        var line = new string('─', code.Length + 6);
        output.Out.WriteLine($"Enrolment code for team {enrolment.Team}, single use: read it out, or let the phone scan the QR code");
        output.Out.WriteLine();
        output.Out.WriteLine($"    ┌{line}┐");
        output.Out.WriteLine($"    │   {code}   │");
        output.Out.WriteLine($"    └{line}┘");
        output.Out.WriteLine();
        output.Fields(("url", enrolment.Url), ("expiresAt", enrolment.ExpiresAt), ("tokenExpiresBy", enrolment.TokenExpiresBy));
        output.Out.WriteLine();
        var url = enrolment.Url;
        // Light modules drawn as blocks (the helper's default draws the dark ones): right on the dark background of most terminals.
        output.Out.WriteLine(AsciiQRCodeHelper.GetQRCode(url, QRCodeGenerator.ECCLevel.M, invert: false));
        if (Uri.TryCreate(url, UriKind.Absolute, out var link) && link.IsLoopback)
            output.Error($"the link names {link.Host}, which a phone cannot reach: run coord with --server at an address the phones reach");
    }
}

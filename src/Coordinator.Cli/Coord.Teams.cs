using System.CommandLine;

namespace Coordinator.Cli;

public static partial class Coord
{
    private static IEnumerable<Command> TeamCommands(LeafFactory leaf)
    {
        var id = Arg("team", "Team id, e.g. K9-1");
        var callSign = Opt<string>("--call-sign", "Radio call sign", required: true);
        var size = Opt<int>("--size", "Number of people", required: true);
        var capability = Many("--capability", "Search, K9, Breaching, DoorOpening, Shoring, Lifting, Rope, Medical (repeatable)");
        capability.Required = true;
        yield return leaf("add", "Register a team", async (p, c, ct) =>
            c.Output.Show<TeamView>(await c.Api.Post("/api/teams",
                Api.Body(new RegisterTeamRequest(p.GetValue(id), p.GetValue(callSign), p.GetValue(size), null),
                    (nameof(RegisterTeamRequest.Capabilities), p.GetValue(capability) ?? [])), ct),
                t => ShowTeam(c.Output, t)), id, callSign, size, capability);

        yield return leaf("list", "Every team with its status and assignment", async (_, c, ct) =>
            c.Output.Show<TeamView[]>(await c.Api.Get("/api/teams", ct), list => c.Output.Table(list,
                ("TEAM", t => t.Id), ("CALL SIGN", t => t.CallSign), ("STATUS", t => $"{t.Status}"),
                ("SECTOR", t => $"{t.Assignment?.ToString() ?? "-"}"), ("ON SITE", t => Time(t.SecondsOnSite)),
                ("ON DUTY", t => OnDuty(t.SecondsOnDuty, t.PastShift)), ("CAPABILITIES", t => string.Join(", ", t.Capabilities)))));

        yield return leaf("show", "A team: status, assignment, time on site", async (p, c, ct) =>
            c.Output.Show<TeamView>(await c.Api.Get(Api.Path("api", "teams", p.GetValue(id)!), ct), t => ShowTeam(c.Output, t)), id);

        var status = Arg("status", "Available, Resting or OutOfService");
        yield return leaf("status", "Set a team resting, out of service, or available again", async (p, c, ct) =>
            c.Output.Show<TeamView>(await c.Api.Post(Api.Path("api", "teams", p.GetValue(id)!, "status"),
                Api.Body(new TeamStatusRequest(null), (nameof(TeamStatusRequest.Status), p.GetValue(status))), ct),
                t => ShowTeam(c.Output, t)), id, status);
    }

    internal static string Time(double? seconds) => seconds is { } s ? $"{TimeSpan.FromSeconds(s):hh\\:mm}" : "-";

    internal static string OnDuty(double? seconds, bool pastShift) => Time(seconds) + (pastShift ? " PAST SHIFT" : "");

    private static void ShowTeam(Output o, TeamView t)
    {
        o.Fields(("id", t.Id), ("callSign", t.CallSign), ("size", t.Size), ("capabilities", t.Capabilities), ("status", t.Status),
            ("assignment", t.Assignment), ("pending", t.Pending), ("onSiteSince", t.OnSiteSince), ("version", t.Version));
        o.Out.WriteLine($"{"time on site".PadRight(12)}  {Time(t.SecondsOnSite)}");
        o.Out.WriteLine($"{"on duty".PadRight(12)}  {OnDuty(t.SecondsOnDuty, t.PastShift)}");
    }

    private static IEnumerable<Command> OperationCommands(LeafFactory leaf)
    {
        var team = Arg("team", "Team id");
        var facility = Arg("facility", "Facility id");
        var sector = Arg("sector", "Sector id");
        yield return leaf("assign", "Assign a team to a sector", async (p, c, ct) =>
            c.Output.Show<TeamView>(await c.Api.Post("/api/assignments",
                Api.Body(new AssignmentRequest(p.GetValue(team), p.GetValue(facility), p.GetValue(sector))), ct),
                t => ShowTeam(c.Output, t)), team, facility, sector);

        yield return leaf("recall", "Recall a team from its sector", async (p, c, ct) =>
            c.Output.Show<TeamView>(await c.Api.Post(Api.Path("api", "teams", p.GetValue(team)!, "recall"), null, ct),
                t => ShowTeam(c.Output, t)), team);

        var reason = Opt<string>("--reason", "The new evidence: a K9 alert, a sound, a witness…", required: true);
        yield return leaf("reopen", "Reopen a cleared or hazardous sector", async (p, c, ct) =>
            c.Output.Show<SectorView>(await c.Api.Post(Api.Path("api", "facilities", p.GetValue(facility)!, "sectors", p.GetValue(sector)!, "reopen"),
                Api.Body(new ReopenRequest(p.GetValue(reason))), ct), s => ShowSector(c.Output, s)), facility, sector, reason);

        yield return leaf("signoff", "Sign off a facility as clear (refused while any sector is not cleared)", async (p, c, ct) =>
            c.Output.Show<FacilityView>(await c.Api.Post(Api.Path("api", "facilities", p.GetValue(facility)!, "signoff"), null, ct),
                f => ShowFacility(c.Output, f)), facility);

        var most = Most();
        yield return leaf("history", "Everything recorded about a sector: what, who, when (oldest first)", async (p, c, ct) =>
            c.Output.Show<HistoryEntry[]>(
                await c.Api.Walk(Api.Path("api", "facilities", p.GetValue(facility)!, "sectors", p.GetValue(sector)!, "history"),
                    p.GetValue(most), ct),
                list => c.Output.Table(list, ("#", h => $"{h.Sequence}"), ("AT", h => Output.Text(h.At)), ("EVENT", h => h.Event),
                    ("BY", h => h.By))), facility, sector, most);
    }
}

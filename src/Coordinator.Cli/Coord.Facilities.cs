using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Coordinator.Cli;

public static partial class Coord
{
    private static IEnumerable<Command> FacilityCommands(LeafFactory leaf)
    {
        var id = Arg("facility", "Facility id, e.g. saydnaya");
        var name = Opt<string>("--name", "Name", required: true);
        var alias = Many("--alias", "Other names (repeatable)");
        var location = Opt<string>("--location", "Where it is");
        yield return leaf("add", "Register a facility", async (p, c, ct) =>
            c.Output.Show<FacilityView>(await c.Api.Post("/api/facilities",
                Api.Body(new RegisterFacilityRequest(p.GetValue(id), p.GetValue(name), p.GetValue(alias) ?? [], p.GetValue(location))), ct),
                f => ShowFacility(c.Output, f)), id, name, alias, location);

        var file = Arg("file", "Layout JSON: {\"sectors\":[{\"id\",\"parent\",\"kind\",\"name\",\"needs\"}]}");
        yield return leaf("import", "Define a facility's layout from a file (all or nothing; repeating it changes nothing)", async (p, c, ct) =>
        {
            // Sent as the file has it: the node checks it and names the row at fault, words it does not know included.
            JsonNode layout;
            try { layout = JsonNode.Parse(await File.ReadAllTextAsync(p.GetValue(file)!, ct))!; }
            catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
            {
                c.Output.Error($"cannot read the layout: {e.Message}");
                return ExitCode.Invalid;
            }
            return c.Output.Show<FacilityView>(await c.Api.Put(Api.Path("api", "facilities", p.GetValue(id)!, "layout"), layout, ct),
                f => ShowFacility(c.Output, f));
        }, id, file);

        yield return leaf("show", "A facility's progress, overall and per level", async (p, c, ct) =>
            c.Output.Show<FacilityView>(await c.Api.Get(Api.Path("api", "facilities", p.GetValue(id)!), ct), f => ShowFacility(c.Output, f)), id);

        yield return leaf("list", "Every facility with its progress", async (_, c, ct) =>
            c.Output.Show<FacilityView[]>(await c.Api.Get("/api/facilities", ct), list => c.Output.Table(list,
                ("FACILITY", f => f.Id), ("NAME", f => f.Name), ("SECTORS", f => $"{f.Sectors}"),
                ("CLEARED", f => $"{f.Progress.PercentFinal}%"), ("ALIVE", f => $"{f.Progress.PersonsAlive}"),
                ("DECEASED", f => $"{f.Progress.PersonsDeceased}"), ("SIGNED OFF", f => f.SignedOff ? "yes" : "no"))));
    }

    private static void ShowFacility(Output o, FacilityView f)
    {
        o.Fields(("id", f.Id), ("name", f.Name), ("aliases", f.Aliases), ("location", f.Location), ("signedOff", f.SignedOff),
            ("sectors", f.Sectors), ("version", f.Version));
        o.Out.WriteLine();
        o.Table([new LevelProgressView("ALL", f.Progress), .. f.Levels], ("LEVEL", l => l.Level), ("LEAVES", l => $"{l.Progress.Leaves}"),
            ("CLEARED", l => $"{l.Progress.Cleared}"), ("WITH DECEASED", l => $"{l.Progress.ClearedWithDeceased}"),
            ("IN PROGRESS", l => $"{l.Progress.InProgress}"), ("BLOCKED", l => $"{l.Progress.Blocked}"),
            ("HAZARD", l => $"{l.Progress.Hazard}"), ("UNSEARCHED", l => $"{l.Progress.Unsearched}"),
            ("DONE", l => $"{l.Progress.PercentFinal}%"));
    }

    private static IEnumerable<Command> SectorCommands(LeafFactory leaf)
    {
        var facility = Arg("facility", "Facility id");
        var sector = Arg("sector", "Sector id, e.g. B2-C-14");
        var parent = Opt<string>("--parent", "Parent sector id");
        var kind = Opt<string>("--kind", "Level, Building, Wing, Block, Corridor, Cell, Room, Shaft, Void, Stairwell, HiddenSpace", required: true);
        var name = Opt<string>("--name", "Name");
        var needs = Many("--needs", "Capabilities its access needs (repeatable)");
        yield return leaf("add", "Add one sector to a facility", async (p, c, ct) =>
            c.Output.Show<SectorView>(await c.Api.Post(Api.Path("api", "facilities", p.GetValue(facility)!, "sectors"),
                Api.Body(new SectorRequest(p.GetValue(sector), p.GetValue(parent), null, p.GetValue(name), null),
                    (nameof(SectorRequest.Kind), p.GetValue(kind)), (nameof(SectorRequest.Needs), p.GetValue(needs) ?? [])), ct),
                s => ShowSector(c.Output, s)), facility, sector, parent, kind, name, needs);

        yield return leaf("show", "A sector: status, team, needs, children", async (p, c, ct) =>
            c.Output.Show<SectorView>(await c.Api.Get(Api.Path("api", "facilities", p.GetValue(facility)!, "sectors", p.GetValue(sector)!), ct),
                s => ShowSector(c.Output, s)),
            facility, sector);
    }

    private static void ShowSector(Output o, SectorView s) =>
        o.Fields(("facilityId", s.FacilityId), ("id", s.Id), ("name", s.Name), ("kind", s.Kind), ("parent", s.Parent), ("children", s.Children),
            ("status", s.Status), ("team", s.Team), ("lastTeam", s.LastTeam), ("needs", s.Needs), ("hazard", s.Hazard),
            ("personsAlive", s.PersonsAlive), ("personsDeceased", s.PersonsDeceased), ("version", s.Version));
}

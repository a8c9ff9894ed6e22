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
            c.Output.Show(await c.Api.Post("/api/facilities",
                Api.Body(new RegisterFacilityRequest(p.GetValue(id), p.GetValue(name), p.GetValue(alias) ?? [], p.GetValue(location))), ct),
                f => ShowFacility(c.Output, f)), id, name, alias, location);

        var file = Arg("file", "Layout JSON: {\"sectors\":[{\"id\",\"parent\",\"kind\",\"name\",\"needs\"}]}");
        yield return leaf("import", "Define a facility's layout from a file (all or nothing; repeating it changes nothing)", async (p, c, ct) =>
        {
            JsonNode layout;
            try { layout = JsonNode.Parse(await File.ReadAllTextAsync(p.GetValue(file)!, ct))!; }
            catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
            {
                c.Output.Error($"cannot read the layout: {e.Message}");
                return ExitCode.Invalid;
            }
            return c.Output.Show(await c.Api.Put(Api.Path("api", "facilities", p.GetValue(id)!, "layout"), layout, ct), f => ShowFacility(c.Output, f));
        }, id, file);

        yield return leaf("show", "A facility's progress, overall and per level", async (p, c, ct) =>
            c.Output.Show(await c.Api.Get(Api.Path("api", "facilities", p.GetValue(id)!), ct), f => ShowFacility(c.Output, f)), id);

        yield return leaf("list", "Every facility with its progress", async (_, c, ct) =>
            c.Output.Show<FacilityView[]>(await c.Api.Get("/api/facilities", ct), list => c.Output.Table(list,
                ("FACILITY", f => f.Id), ("NAME", f => f.Name), ("SECTORS", f => $"{f.Sectors}"),
                ("CLEARED", f => $"{f.Progress.PercentFinal}%"), ("ALIVE", f => $"{f.Progress.PersonsAlive}"),
                ("DECEASED", f => $"{f.Progress.PersonsDeceased}"), ("SIGNED OFF", f => f.SignedOff ? "yes" : "no"))));
    }

    private static void ShowFacility(Output o, JsonNode f)
    {
        o.Fields(f, "id", "name", "aliases", "location", "signedOff", "sectors", "version");
        o.Out.WriteLine();
        var view = f.Deserialize<FacilityView>(ApiJson.Options)!;
        o.Table([new LevelProgressView("ALL", view.Progress), .. view.Levels], ("LEVEL", l => l.Level), ("LEAVES", l => $"{l.Progress.Leaves}"),
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
            c.Output.Show(await c.Api.Post(Api.Path("api", "facilities", p.GetValue(facility)!, "sectors"), new JsonObject
            {
                ["id"] = p.GetValue(sector),
                ["parent"] = p.GetValue(parent),
                ["kind"] = p.GetValue(kind),
                ["name"] = p.GetValue(name),
                ["needs"] = Array(p.GetValue(needs)),
            }, ct), s => ShowSector(c.Output, s)), facility, sector, parent, kind, name, needs);

        yield return leaf("show", "A sector: status, team, needs, children", async (p, c, ct) =>
            c.Output.Show(await c.Api.Get(Api.Path("api", "facilities", p.GetValue(facility)!, "sectors", p.GetValue(sector)!), ct), s => ShowSector(c.Output, s)),
            facility, sector);
    }

    private static void ShowSector(Output o, JsonNode s) =>
        o.Fields(s, "facilityId", "id", "name", "kind", "parent", "children", "status", "team", "lastTeam", "needs", "hazard", "personsAlive", "personsDeceased", "version");
}

using System.CommandLine;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Coordinator.Cli;

public static partial class Coord
{
    private static IEnumerable<Command> ReportCommands(LeafFactory leaf)
    {
        var team = Opt<string>("--team", "The reporting team", required: true);
        var facility = Opt<string>("--facility", "Facility id", required: true);
        var sector = Opt<string>("--sector", "Sector id", required: true);
        var reportId = Opt<string>("--report-id", "The report's id (made up when not given; reuse it to retry)");
        Symbol[] common = [team, facility, sector, reportId];

        Command Report(string name, string kind, string description, Func<ParseResult, JsonObject, string?> fill, params Symbol[] own) =>
            leaf(name, description, async (p, c, ct) =>
            {
                var body = new JsonObject
                {
                    ["reportId"] = p.GetValue(reportId) ?? NewReportId(), ["teamId"] = p.GetValue(team), ["facilityId"] = p.GetValue(facility),
                    ["sectorId"] = p.GetValue(sector), ["kind"] = kind,
                };
                if (fill(p, body) is { } invalid)
                {
                    c.Output.Error(invalid);
                    return ExitCode.Invalid;
                }
                return await Deliver(c, body, ct);
            }, [.. common, .. own]);

        yield return Report("entered", "Entered", "The team is in the sector", (_, _) => null);

        var method = Opt<string>("--method", "Visual, K9 or Technical", required: true);
        yield return Report("cleared", "Cleared", "Searched completely; nobody remains", (p, b) => { b["method"] = p.GetValue(method); return null; }, method);

        var deceased = Opt<int>("--deceased", "Deceased remaining in place");
        yield return Report("cleared-with-deceased", "ClearedWithDeceased", "Searched completely; deceased remain in place",
            (p, b) => { b["method"] = p.GetValue(method); b["deceased"] = p.GetValue(deceased); return null; }, method, deceased);

        var needs = Many("--needs", "Capabilities needed (repeatable), e.g. DoorOpening");
        var note = Opt<string>("--note", "Free text");
        yield return Report("blocked", "Blocked", "Cannot go on without another capability",
            (p, b) => p.GetValue(needs) is { Length: > 0 } n ? Fill(b, ("needs", Array(n)), ("note", p.GetValue(note))) : "--needs names what is needed", needs, note);

        yield return Report("access-opened", "AccessOpened", "An access crew opened what blocked the sector",
            (p, b) => p.GetValue(needs) is { Length: > 0 } n ? Fill(b, ("needs", Array(n))) : "--needs names the work done", needs);

        var hazard = Opt<string>("--hazard", "The hazard, e.g. gas, unstable ceiling", required: true);
        yield return Report("hazard", "Hazard", "Unsafe: work stopped", (p, b) => Fill(b, ("hazard", p.GetValue(hazard))), hazard);

        var alive = Opt<int>("--alive", "Persons found alive");
        var medical = Opt<bool>("--needs-medical", "Medical help is needed");
        var details = Opt<string>("--details", "Identifying details as given (name, age, origin)");
        var person = Many("--person", "A person found (repeatable): \"name=…;father=…;mother=…;born=1987;age=38;town=…;condition=…;taken-to=…\"");
        yield return Report("persons", "PersonsFound", "Persons found, counted and, where known, named", (p, b) =>
        {
            var named = new JsonArray();
            foreach (var text in p.GetValue(person) ?? [])
            {
                if (ParsePerson(text) is not { } parsed) return $"--person \"{text}\": give name=… and optional father=, mother=, born=, age=, town=, condition=, taken-to= separated by ;";
                named.Add(parsed);
            }
            var (a, d) = (p.GetValue(alive), p.GetValue(deceased));
            if (a + d == 0 && named.Count == 0) return "give --alive and/or --deceased, or name them with --person";
            return Fill(b, ("alive", a + d == 0 ? named.Count : a), ("deceased", d), ("needsMedical", p.GetValue(medical)), ("details", p.GetValue(details)),
                ("persons", named.Count == 0 ? null : named));
        }, alive, deceased, medical, details, person);

        var newSector = Opt<string>("--new-sector", "Id for the hidden space, e.g. B3-V-1", required: true);
        var name = Opt<string>("--name", "Name of the hidden space");
        yield return Report("hidden", "HiddenSpaceFound", "A hidden space found inside the sector (becomes a child sector)",
            (p, b) => Fill(b, ("newSectorId", p.GetValue(newSector)), ("name", p.GetValue(name)), ("needs", Array(p.GetValue(needs))), ("note", p.GetValue(note))),
            newSector, name, needs, note);
    }

    /// <summary>"name=…;father=…;born=1987" as the API's person; null when a key is unknown or the name is missing.</summary>
    public static JsonObject? ParsePerson(string text)
    {
        var keys = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["name"] = "name", ["father"] = "fatherName", ["mother"] = "motherName", ["born"] = "birthYear", ["age"] = "age",
            ["town"] = "homeTown", ["condition"] = "condition", ["taken-to"] = "takenTo", ["alt"] = "altNames",
        };
        var person = new JsonObject();
        foreach (var part in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=');
            if (eq <= 0 || !keys.TryGetValue(part[..eq].Trim(), out var key)) return null;
            var value = part[(eq + 1)..].Trim();
            person[key] = key switch
            {
                "birthYear" or "age" => int.TryParse(value, out var n) ? n : null,
                "altNames" => new JsonArray(value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(v => (JsonNode)v).ToArray()),
                _ => value,
            };
            if (person[key] is null) return null;
        }
        return person.ContainsKey("name") ? person : null;
    }

    private static string? Fill(JsonObject body, params (string Key, JsonNode? Value)[] fields)
    {
        foreach (var (key, value) in fields) body[key] = value;
        return null;
    }

    /// <summary>Unique enough to never collide within a sector; short enough to read over a radio.</summary>
    public static string NewReportId() => $"r-{DateTime.UtcNow:yyyyMMddHHmmss}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";

    /// <summary>
    /// Sends a report after any older ones still waiting (order matters: entered before cleared); what cannot be
    /// delivered now stays in the outbox with its id.
    /// </summary>
    private static async Task<int> Deliver(Context c, JsonObject report, CancellationToken ct)
    {
        c.Outbox.Add(report);
        return await Flush(c, ct);
    }

    private static async Task<int> Flush(Context c, CancellationToken ct)
    {
        var pending = c.Outbox.Pending().ToList();
        var result = ExitCode.Ok;
        while (pending.Count > 0)
        {
            var report = pending[0];
            var answer = await c.Api.Post("/api/reports", report, ct);
            if (!answer.Delivered)
            {
                c.Outbox.Save(pending);
                c.Output.Error($"{(answer.Status == 0 ? answer.Failure : $"the server answered {answer.Status}")}; " +
                               $"{pending.Count} report(s) kept in {c.Outbox.Path}: `coord outbox flush` sends them with the same ids");
                return ExitCode.Queued;
            }
            pending.RemoveAt(0);
            c.Outbox.Save(pending);
            var code = c.Output.Show(answer, o => c.Output.Out.WriteLine(
                $"{(string)report["reportId"]!}: {(string)report["kind"]!} {(string)report["facilityId"]!}/{(string)report["sectorId"]!} accepted, sector {(string)o["sectorStatus"]!} (version {Output.Text(o["version"])})"));
            if (code != ExitCode.Ok) result = code; // refused for good: said on stderr, not retried
        }
        return result;
    }

    private static IEnumerable<Command> OutboxCommands(LeafFactory leaf)
    {
        yield return leaf("list", "Reports waiting to be delivered", (_, c, _) =>
        {
            var pending = c.Outbox.Pending();
            if (c.Output.Json) c.Output.Out.WriteLine(new JsonArray([.. pending.Select(p => p.DeepClone())]).ToJsonString());
            else c.Output.Table(pending, ("REPORT", r => (string)r["reportId"]!), ("KIND", r => (string)r["kind"]!), ("TEAM", r => (string)r["teamId"]!),
                ("SECTOR", r => $"{r["facilityId"]}/{r["sectorId"]}"));
            return Task.FromResult(ExitCode.Ok);
        });
        yield return leaf("flush", "Send the waiting reports, oldest first, with their ids", (_, c, ct) => Flush(c, ct));
    }
}

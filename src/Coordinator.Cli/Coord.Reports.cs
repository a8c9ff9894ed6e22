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
                    ["reportId"] = p.GetValue(reportId) ?? NewReportId(),
                    ["teamId"] = p.GetValue(team),
                    ["facilityId"] = p.GetValue(facility),
                    ["sectorId"] = p.GetValue(sector),
                    ["kind"] = kind,
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
            ["name"] = "name",
            ["father"] = "fatherName",
            ["mother"] = "motherName",
            ["born"] = "birthYear",
            ["age"] = "age",
            ["town"] = "homeTown",
            ["condition"] = "condition",
            ["taken-to"] = "takenTo",
            ["alt"] = "altNames",
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
    private static Task<int> Deliver(Context c, JsonObject report, CancellationToken ct)
    {
        var id = (string)report["reportId"]!;
        return Holding(c, $"report {id} was not kept: make it again with --report-id {id}", async outbox =>
        {
            outbox.Add(report);
            return await Flush(c, outbox, ct);
        }, ct);
    }

    /// <summary>Runs <paramref name="work"/> holding the outbox; when another run holds it too long, says so, and what was not kept.</summary>
    private static async Task<int> Holding(Context c, string? notKept, Func<Outbox.Held, Task<int>> work, CancellationToken ct)
    {
        var (outbox, busy) = await c.Outbox.HoldAsync(ct);
        if (outbox is null)
        {
            c.Output.Error(notKept is null ? busy! : $"{busy}; {notKept}");
            return ExitCode.Unavailable;
        }
        using (outbox) return await work(outbox);
    }

    /// <summary>The most reports the server takes in one batch; more go in the next.</summary>
    private const int MaxBatch = 500;

    /// <summary>
    /// Sends what waits, oldest first, in batches, one line per report. A report leaves the outbox when it was
    /// accepted or refused for good (<see cref="Answer.Final"/>: the refusal is said, not retried); it stays, with
    /// its id, when there was no answer, the token was refused, or the server was too busy or unavailable.
    /// Per sector the outbox always holds the tail of the reports made there: once one stays, every later report on
    /// its sector (and on the sector a kept hidden-space report makes) stays behind it whatever its own answer, and
    /// later batches do not send them. A cleared refused only because the entered before it did not go through is
    /// not dropped; one applied anyway is answered the same when sent again with its id.
    /// </summary>
    private static async Task<int> Flush(Context c, Outbox.Held outbox, CancellationToken ct)
    {
        var pending = outbox.Pending();
        var leaves = new bool[pending.Count];
        var behind = new Dictionary<string, string>(); // sector → the first report kept on it
        var kept = new List<Answer>();
        var result = ExitCode.Ok;
        Answer? stopped = null;
        for (var start = 0; start < pending.Count && stopped is null;)
        {
            var end = start;
            var send = new List<int>();
            for (; end < pending.Count && send.Count < MaxBatch; end++)
                if (!behind.ContainsKey(SectorOf(pending[end]))) send.Add(end);
            (var answers, stopped) = await Send(c, pending, send, ct);
            for (var i = start; i < end; i++)
            {
                var report = pending[i];
                if (behind.TryGetValue(SectorOf(report), out var first))
                    c.Output.Error($"{Label(report)} kept: it waits behind {first} on the same sector");
                else if (!answers.TryGetValue(i, out var answer))
                    continue; // not sent: why is said below
                else if (answer.Ok)
                {
                    leaves[i] = true;
                    c.Output.Show(answer, o => c.Output.Out.WriteLine(
                        $"{Label(report)} accepted, sector {(string)o["sectorStatus"]!} (version {Output.Text(o["version"])})"));
                }
                else if (answer.Refused)
                {
                    leaves[i] = true;
                    c.Output.Error($"{Label(report)} refused, removed from the outbox: {Output.Describe(answer)}");
                    result = ExitCode.FromStatus(answer.Status);
                }
                else
                {
                    kept.Add(answer);
                    foreach (var sector in SectorsHeldBy(report)) behind.TryAdd(sector, (string)report["reportId"]!);
                    c.Output.Error($"{Label(report)} kept: {Output.Describe(answer)}");
                }
            }
            outbox.Save(pending.Where((_, i) => !leaves[i]));
            start = end;
        }
        var waiting = leaves.Count(l => !l);
        if (waiting == 0) return result;
        if (stopped is not null) kept.Add(stopped);
        c.Output.Error($"{(stopped is null ? "" : $"{Output.Describe(stopped)}; ")}{waiting} report(s) kept in {outbox.Path}: {Advice(kept)}");
        return ExitCode.Queued;
    }

    /// <summary>
    /// The answers, by index in <paramref name="pending"/>, to the reports at <paramref name="send"/>; and the answer
    /// that stopped the sending, if one did (then the reports without an answer were not delivered).
    /// </summary>
    private static async Task<(Dictionary<int, Answer> Answers, Answer? Stopped)> Send(Context c, IReadOnlyList<JsonObject> pending, List<int> send, CancellationToken ct)
    {
        var answers = new Dictionary<int, Answer>();
        if (send.Count == 0) return (answers, null);
        var batch = await c.Api.Post("/api/reports/batch", new JsonObject { ["reports"] = new JsonArray([.. send.Select(i => pending[i].DeepClone())]) }, ct);
        if (batch.Ok && batch.Body?["outcomes"] is JsonArray outcomes
            && outcomes.Select(o => (string?)o?["reportId"]).SequenceEqual(send.Select(i => (string?)pending[i]["reportId"])))
        {
            // Each outcome is what that report alone would have been answered.
            foreach (var (i, o) in send.Zip(outcomes))
                answers[i] = o?["status"] is JsonValue status
                    ? new Answer((int)status, o["accepted"] ?? o["problem"])
                    : new Answer(0, null, "the batch's answer gave a report no status");
            return (answers, null);
        }
        if (!batch.Refused) return (answers, batch.Ok ? new Answer(0, null, "the batch's answer does not match the reports sent") : batch);

        // The batch as a whole was refused: a report in it the server cannot read, more than it takes at once, or a
        // server without batches. Each report alone gets its own answer, so one bad report cannot hold back the rest.
        var held = new HashSet<string>();
        foreach (var i in send.Where(i => !held.Contains(SectorOf(pending[i]))))
        {
            var answer = await c.Api.Post("/api/reports", pending[i], ct);
            if (answer.Status is 0 or 401 or 429) return (answers, answer); // every report after it would be answered the same
            answers[i] = answer;
            if (!answer.Final) held.UnionWith(SectorsHeldBy(pending[i]));
        }
        return (answers, null);
    }

    private static string SectorOf(JsonObject report) => $"{report["facilityId"]}/{report["sectorId"]}";

    /// <summary>The sectors whose later reports must wait while this one does: its own, and the hidden space it makes.</summary>
    private static IEnumerable<string> SectorsHeldBy(JsonObject report) =>
        report["newSectorId"] is { } child ? [SectorOf(report), $"{report["facilityId"]}/{child}"] : [SectorOf(report)];

    private static string Label(JsonObject report) => $"{(string)report["reportId"]!}: {(string)report["kind"]!} {SectorOf(report)}";

    /// <summary>What to do about the reports kept, for the worst reason they were kept.</summary>
    private static string Advice(IReadOnlyList<Answer> why) =>
        why.Any(a => a.TokenRefused)
            ? "the token was refused: get a new one (a lead runs `coord token issue --role field --team …` or `coord token enrol --team …`) and run `coord outbox flush` with it"
            : why.FirstOrDefault(a => a.Status == 429) is { } limited
                ? $"the server takes no more requests with this token for now: run `coord outbox flush` in {Math.Ceiling((limited.RetryAfter ?? TimeSpan.FromMinutes(1)).TotalSeconds):0} s"
                : "`coord outbox flush` sends them with the same ids";

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
        yield return leaf("flush", "Send the waiting reports, oldest first, with their ids", (_, c, ct) => Holding(c, null, outbox => Flush(c, outbox, ct), ct));
    }
}

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

        Command Report(string name, ReportKind kind, string description, Func<ParseResult, ReportRequest, Made> fill, params Symbol[] own) =>
            leaf(name, description, async (p, c, ct) =>
            {
                var common = new ReportRequest(p.GetValue(reportId) ?? NewReportId(), p.GetValue(team), p.GetValue(facility), p.GetValue(sector),
                    kind, null, null, null, null, null, null, null, null, null, null, null);
                var made = fill(p, common);
                if (made.Invalid is not null)
                {
                    c.Output.Error(made.Invalid);
                    return ExitCode.Invalid;
                }
                var body = Api.Body(made.Report, (nameof(ReportRequest.Method), made.Method), (nameof(ReportRequest.Needs), made.Needs));
                return await Deliver(c, made.Report.ReportId!, body, ct);
            }, [.. common, .. own]);

        yield return Report("entered", ReportKind.Entered, "The team is in the sector", (_, r) => new(r));

        var method = Opt<string>("--method", "Visual, K9 or Technical", required: true);
        yield return Report("cleared", ReportKind.Cleared, "Searched completely; nobody remains", (p, r) => new(r, p.GetValue(method)), method);

        var deceased = Opt<int>("--deceased", "Deceased remaining in place");
        yield return Report("cleared-with-deceased", ReportKind.ClearedWithDeceased, "Searched completely; deceased remain in place",
            (p, r) => new(r with { Deceased = p.GetValue(deceased) }, p.GetValue(method)), method, deceased);

        var needs = Many("--needs", "Capabilities needed (repeatable), e.g. DoorOpening");
        var note = Opt<string>("--note", "Free text");
        yield return Report("blocked", ReportKind.Blocked, "Cannot go on without another capability",
            (p, r) => p.GetValue(needs) is { Length: > 0 } n
                ? new(r with { Note = p.GetValue(note) }, Needs: n)
                : Made.Refused("--needs names what is needed"), needs, note);

        yield return Report("access-opened", ReportKind.AccessOpened, "An access crew opened what blocked the sector",
            (p, r) => p.GetValue(needs) is { Length: > 0 } n ? new(r, Needs: n) : Made.Refused("--needs names the work done"), needs);

        var hazard = Opt<string>("--hazard", "The hazard, e.g. gas, unstable ceiling", required: true);
        yield return Report("hazard", ReportKind.Hazard, "Unsafe: work stopped", (p, r) => new(r with { Hazard = p.GetValue(hazard) }), hazard);

        var alive = Opt<int>("--alive", "Persons found alive");
        var medical = Opt<bool>("--needs-medical", "Medical help is needed");
        var details = Opt<string>("--details", "Identifying details as given (name, age, origin)");
        var person = Many("--person", "A person found (repeatable): \"name=…;father=…;mother=…;born=1987;age=38;town=…;condition=…;taken-to=…\"");
        yield return Report("persons", ReportKind.PersonsFound, "Persons found, counted and, where known, named", (p, r) =>
        {
            var named = new List<PersonRequest>();
            foreach (var text in p.GetValue(person) ?? [])
            {
                if (ParsePerson(text) is not { } parsed)
                    return Made.Refused(
                        $"--person \"{text}\": give name=… and optional father=, mother=, born=, age=, town=, condition=, taken-to= separated by ;");
                named.Add(parsed);
            }
            var (a, d) = (p.GetValue(alive), p.GetValue(deceased));
            if (a + d == 0 && named.Count == 0) return Made.Refused("give --alive and/or --deceased, or name them with --person");
            return new(r with
            {
                Alive = a + d == 0 ? named.Count : a,
                Deceased = d,
                NeedsMedical = p.GetValue(medical),
                Details = p.GetValue(details),
                Persons = named.Count == 0 ? null : [.. named],
            });
        }, alive, deceased, medical, details, person);

        var newSector = Opt<string>("--new-sector", "Id for the hidden space, e.g. B3-V-1", required: true);
        var name = Opt<string>("--name", "Name of the hidden space");
        yield return Report("hidden", ReportKind.HiddenSpaceFound, "A hidden space found inside the sector (becomes a child sector)",
            (p, r) => new(r with { NewSectorId = p.GetValue(newSector), Name = p.GetValue(name), Note = p.GetValue(note) },
                Needs: p.GetValue(needs) ?? []),
            newSector, name, needs, note);
    }

    /// <summary>
    /// What a kind of report adds to the common fields: the report, with its method and needs as the user typed them
    /// (see <see cref="Api.Body"/>); or why it cannot be made.
    /// </summary>
    private sealed record Made(ReportRequest Report, string? Method = null, string[]? Needs = null, string? Invalid = null)
    {
        public static Made Refused(string why) => new(null!, Invalid: why);
    }

    /// <summary>"name=…;father=…;born=1987" as the API's person; null when a key is unknown, a number is not one, or the name is missing.</summary>
    public static PersonRequest? ParsePerson(string text)
    {
        var person = new PersonRequest(null, null, null, null, null, null, null, null, null);
        foreach (var part in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=');
            if (eq <= 0) return null;
            var value = part[(eq + 1)..].Trim();
            int? number = int.TryParse(value, out var n) ? n : null;
            PersonRequest? next = part[..eq].Trim().ToLowerInvariant() switch
            {
                "name" => person with { Name = value },
                "father" => person with { FatherName = value },
                "mother" => person with { MotherName = value },
                "born" => number is null ? null : person with { BirthYear = number },
                "age" => number is null ? null : person with { Age = number },
                "town" => person with { HomeTown = value },
                "condition" => person with { Condition = value },
                "taken-to" => person with { TakenTo = value },
                "alt" => person with { AltNames = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) },
                _ => null,
            };
            if (next is null) return null;
            person = next;
        }
        return person.Name is null ? null : person;
    }

    /// <summary>Unique enough to never collide within a sector; short enough to read over a radio.</summary>
    public static string NewReportId() => $"r-{DateTime.UtcNow:yyyyMMddHHmmss}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";

    /// <summary>
    /// Sends a report after any older ones still waiting (order matters: entered before cleared); what cannot be
    /// delivered now stays in the outbox with its id.
    /// </summary>
    private static Task<int> Deliver(Context c, string id, JsonObject report, CancellationToken ct) =>
        Holding(c, $"report {id} was not kept: make it again with --report-id {id}", async outbox =>
        {
            outbox.Add(report);
            return await Flush(c, outbox, ct);
        }, ct);

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
                    c.Output.Show<ReportOutcomeView>(answer,
                        o => c.Output.Out.WriteLine($"{Label(report)} accepted, sector {o.SectorStatus} (version {o.Version})"));
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
                    foreach (var sector in SectorsHeldBy(report)) behind.TryAdd(sector, $"{Member(report, nameof(ReportRequest.ReportId))}");
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
    private static async Task<(Dictionary<int, Answer> Answers, Answer? Stopped)> Send(Context c, IReadOnlyList<JsonObject> pending, List<int> send,
        CancellationToken ct)
    {
        var answers = new Dictionary<int, Answer>();
        if (send.Count == 0) return (answers, null);
        var reports = new JsonArray([.. send.Select(i => pending[i].DeepClone())]);
        var batch = await c.Api.Post("/api/reports/batch", new JsonObject { [Api.Name(nameof(ReportBatchRequest.Reports))] = reports }, ct);
        if (batch.Ok && batch.AsOrNull<ReportBatchView>() is { Outcomes: { } outcomes }
            && outcomes.Select(o => o?.ReportId).SequenceEqual(send.Select(i => (string?)Member(pending[i], nameof(ReportRequest.ReportId)))))
        {
            // Each outcome is what that report alone would have been answered.
            foreach (var (i, o) in send.Zip(outcomes))
                answers[i] = o is { Status: not 0 }
                    ? new Answer(o.Status, o.Accepted is { } accepted ? Api.Body(accepted) : o.Problem is { } problem ? Api.Body(problem) : null)
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

    /// <summary>A member of a queued report, by the contract's name for it: the outbox keeps each report as the JSON it is sent as.</summary>
    private static JsonNode? Member(JsonObject report, string member) => report[Api.Name(member)];

    private static string SectorOf(JsonObject report) =>
        $"{Member(report, nameof(ReportRequest.FacilityId))}/{Member(report, nameof(ReportRequest.SectorId))}";

    /// <summary>The sectors whose later reports must wait while this one does: its own, and the hidden space it makes.</summary>
    private static IEnumerable<string> SectorsHeldBy(JsonObject report) =>
        Member(report, nameof(ReportRequest.NewSectorId)) is { } child
            ? [SectorOf(report), $"{Member(report, nameof(ReportRequest.FacilityId))}/{child}"]
            : [SectorOf(report)];

    private static string Label(JsonObject report) =>
        $"{Member(report, nameof(ReportRequest.ReportId))}: {Member(report, nameof(ReportRequest.Kind))} {SectorOf(report)}";

    /// <summary>What to do about the reports kept, for the worst reason they were kept.</summary>
    private static string Advice(IReadOnlyList<Answer> why) =>
        why.Any(a => a.TokenRefused)
            ? "the token was refused: get a new one (a lead runs `coord token issue --role field --team …` or `coord token enrol --team …`)"
                + " and run `coord outbox flush` with it"
            : why.FirstOrDefault(a => a.Status == 429) is { } limited
                ? $"the server takes no more requests with this token for now: run `coord outbox flush` in "
                    + $"{Math.Ceiling((limited.RetryAfter ?? TimeSpan.FromMinutes(1)).TotalSeconds):0} s"
                : "`coord outbox flush` sends them with the same ids";

    private static IEnumerable<Command> OutboxCommands(LeafFactory leaf)
    {
        yield return leaf("list", "Reports waiting to be delivered", (_, c, _) =>
        {
            var pending = c.Outbox.Pending();
            if (c.Output.Json) c.Output.Out.WriteLine(new JsonArray([.. pending.Select(p => p.DeepClone())]).ToJsonString());
            else c.Output.Table(pending, ("REPORT", r => $"{Member(r, nameof(ReportRequest.ReportId))}"),
                ("KIND", r => $"{Member(r, nameof(ReportRequest.Kind))}"), ("TEAM", r => $"{Member(r, nameof(ReportRequest.TeamId))}"),
                ("SECTOR", SectorOf));
            return Task.FromResult(ExitCode.Ok);
        });
        yield return leaf("flush", "Send the waiting reports, oldest first, with their ids", (_, c, ct) =>
            Holding(c, null, outbox => Flush(c, outbox, ct), ct));
    }
}

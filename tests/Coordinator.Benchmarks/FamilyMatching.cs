using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Coordinator.Domain;
using Coordinator.Domain.Family;
using Coordinator.Domain.Sectors;
using Coordinator.Fixtures;
using Coordinator.Testing;

namespace Coordinator.Benchmarks;

/// <summary>
/// The family desk at the size of a real registry. In process, the view every node folds: the fold of N
/// inquiries and M persons, an inquiry's candidates against a baseline in the same run that scores every
/// person, and recall on the name-variant test set planted in the population (the candidates and strong alerts
/// the full scan finds, and how many of them the indexed path finds). Then on a real node with a SQLite file:
/// the inquiries loaded with the bulk import (rows/s), the persons reported, an inquiry's candidates over HTTP,
/// and the time from a persons-found report to its strong candidate on the desk's stream.
/// </summary>
public static class FamilyMatching
{
    public sealed record Options(int Inquiries, int Persons, int Queries, int Alerts);

    private const int FileRows = 5_000;

    /// <summary>Persons named per report: as many as fit the API's 64 KiB body limit with Arabic names.</summary>
    private const int PersonsPerReport = 200;

    private static readonly DateTimeOffset At = new(2025, 12, 10, 9, 0, 0, TimeSpan.Zero);
    private static readonly SectorRef Cell = new("saydnaya", "B2-C-14");

    public static async Task<int> RunAsync(Options o)
    {
        var failed = InProcess(o);
        failed |= await OnNodeAsync(o);
        return failed ? 1 : 0;
    }

    private static PersonsFound Found(string id, PersonDetails details) =>
        new(Cell, "SAR-1", 1, 0, false, null, new ReportRef($"r-{id}", ""), At, Author.Team("SAR-1")) { Persons = [new FoundPerson(id, details)] };

    private static bool InProcess(Options o)
    {
        var population = new NameVariants.Population(42);
        var (fixtureFound, fixtureInquiries) = NameVariants.Read();
        var desk = FamilyDesk.Empty;
        var alerts = new List<CandidateAlert>();
        void Fold(object e)
        {
            var (next, raised) = desk.Apply(e);
            desk = next;
            alerts.AddRange(raised);
        }

        // Half the test set's persons are found before the inquiries, half after: both ways of raising an alert are measured.
        var memoryBefore = GC.GetTotalMemory(forceFullCollection: true);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < o.Persons; i++) Fold(Found($"p-{i}", population.Person()));
        foreach (var (id, person) in fixtureFound.Where((_, i) => i % 2 == 0)) Fold(Found($"fx-{id}", person));
        var persons = clock.Elapsed;
        clock.Restart();
        for (var i = 0; i < o.Inquiries; i++) Fold(new InquiryRegistered($"q-{i}", population.Inquiry(), At, Author.Lead("desk")));
        foreach (var (id, inquiry) in fixtureInquiries) Fold(new InquiryRegistered($"fx-{id}", inquiry, At, Author.Lead("desk")));
        var inquiries = clock.Elapsed;
        var personFold = new List<double>();
        foreach (var (id, person) in fixtureFound.Where((_, i) => i % 2 == 1))
        {
            clock.Restart();
            Fold(Found($"fx-{id}", person));
            personFold.Add(clock.Elapsed.TotalMilliseconds);
        }
        for (var i = 0; i < 200; i++)
        {
            clock.Restart();
            Fold(Found($"p-late-{i}", population.Person()));
            personFold.Add(clock.Elapsed.TotalMilliseconds);
        }
        var memoryAfter = GC.GetTotalMemory(forceFullCollection: true);

        var random = new Random(7);
        var queried = Enumerable.Range(0, o.Queries).Select(_ => $"q-{random.Next(o.Inquiries)}").ToList();
        var indexed = new List<double>();
        var listed = 0;
        foreach (var id in queried)
        {
            clock.Restart();
            listed += desk.CandidatesForInquiry(id).Count;
            indexed.Add(clock.Elapsed.TotalMilliseconds);
        }
        var scan = new List<double>();
        foreach (var id in queried.Take(Math.Max(3, o.Queries / 20)))
        {
            clock.Restart();
            _ = NameVariants.FullScan(desk.InquiryProfiles[id], desk.Persons.Values);
            scan.Add(clock.Elapsed.TotalMilliseconds);
        }

        // Recall on the test set: the true pairs the full scan lists (or finds strong), and how many the indexed path does.
        var (pairs, scanListed, indexListed, scanStrong, alerted) = (0, 0, 0, 0, 0);
        foreach (var (id, _) in fixtureInquiries.Where(i => fixtureFound.Any(f => f.Id == i.Id)))
        {
            pairs++;
            var full = NameVariants.FullScan(desk.InquiryProfiles[$"fx-{id}"], desk.Persons.Values).FirstOrDefault(c => c.Id == $"fx-{id}");
            if (full is not null) scanListed++;
            if (desk.CandidatesForInquiry($"fx-{id}").Any(c => c.PersonId == $"fx-{id}")) indexListed++;
            if (full is { Strong: true })
            {
                scanStrong++;
                if (alerts.Any(a => a.Inquiry == $"fx-{id}" && a.Person == $"fx-{id}")) alerted++;
            }
        }

        Console.WriteLine($"## in process: the desk's view with {o.Inquiries:N0} inquiries and {o.Persons:N0} persons (+ the test set: " +
            $"{fixtureFound.Count} persons, {fixtureInquiries.Count} inquiries)");
        Console.WriteLine();
        Console.WriteLine("| figure | value |");
        Console.WriteLine("| --- | --- |");
        Console.WriteLine($"| persons folded into the view | {persons.TotalSeconds:0.0} s " +
            $"({persons.TotalMilliseconds * 1000 / Math.Max(1, o.Persons):0} µs each) |");
        Console.WriteLine($"| inquiries folded into the view (strong candidates looked for each) | {inquiries.TotalSeconds:0.0} s " +
            $"({inquiries.TotalMilliseconds * 1000 / Math.Max(1, o.Inquiries):0} µs each) |");
        Console.WriteLine($"| a persons-found event folded with every inquiry in the view, ms p50 / p99 / max | " +
            $"{Load.Percentiles([.. personFold.Order()])} / {personFold.Max():0.0} |");
        Console.WriteLine($"| view memory | ≈ {(memoryAfter - memoryBefore) / 1048576.0:0} MiB |");
        Console.WriteLine($"| an inquiry's candidates, ms p50 / p95 / p99 ({o.Queries} inquiries, {(double)listed / Math.Max(1, o.Queries):0.0} " +
            $"listed on average) | {Load.Percentiles([.. indexed.Order()])} |");
        Console.WriteLine($"| baseline, every person scored, ms p50 / max ({scan.Count} inquiries) | " +
            $"{Load.Percentiles([.. scan.Order()]).Split(" / ")[0]} / {scan.Max():0.0} |");
        Console.WriteLine($"| test set: true pairs listed, full scan / indexed | {scanListed}/{pairs} / {indexListed}/{pairs} |");
        Console.WriteLine($"| test set: true pairs strong in the full scan / alerted by the view's fold | {scanStrong} / {alerted} |");
        Console.WriteLine();
        return indexListed < scanListed || alerted < scanStrong;
    }

    private static async Task<bool> OnNodeAsync(Options o)
    {
        var folder = Directory.CreateTempSubdirectory("coord-family-").FullName;
        try
        {
            var (app, http) = await Scale.StartAsync(folder, port: 0);
            var population = new NameVariants.Population(11);
            var details = Enumerable.Range(0, o.Inquiries).Select(_ => population.Inquiry()).ToList();

            using var commits = new SqliteCommits();
            var files = CsvFiles(details);
            var (accepted, _, imported) = await ImportAsync(http, files);
            var importCommits = commits.Count;
            var (_, repeated, reimported) = await ImportAsync(http, files);

            await SetUpCellAsync(http);
            var reporting = Stopwatch.StartNew();
            var last = await ReportAllAsync(http, Enumerable.Range(0, o.Persons).Select(_ => population.Person()), "found");
            var reported = reporting.Elapsed;
            var foldLag = await UntilPersonShownAsync(http, last);

            var random = new Random(3);
            var candidates = await CandidatesAsync(http, o.Inquiries, o.Queries, random);

            // A person found who is the one an inquiry looks for: from the report's sending to the alert on the desk's stream.
            var seen = new ConcurrentDictionary<(string Inquiry, string Person), long>();
            using var stop = new CancellationTokenSource();
            var connected = new TaskCompletionSource();
            var stream = Follow(http, seen, connected, stop.Token);
            await connected.Task.WaitAsync(TimeSpan.FromSeconds(30));
            var toStream = new List<double>();
            for (var k = 0; k < o.Alerts; k++)
            {
                var q = random.Next(o.Inquiries);
                var sought = details[q];
                var sent = Stopwatch.GetTimestamp();
                var person = (await ReportAsync(http, $"sought-{k}",
                    [new PersonDetails(sought.Name, [], sought.FatherName, null, sought.BirthYear, null, sought.HomeTown, null, null)]))[0];
                var deadline = Stopwatch.StartNew();
                long arrived;
                while (!seen.TryGetValue(($"q-{q}", person), out arrived))
                {
                    if (deadline.Elapsed > TimeSpan.FromSeconds(60))
                        throw new TimeoutException($"no strong candidate for q-{q} on the desk's stream");
                    await Task.Delay(5);
                }
                toStream.Add(Stopwatch.GetElapsedTime(sent, arrived).TotalMilliseconds);
            }
            stop.Cancel();
            await stream;

            Console.WriteLine($"## on a node with a SQLite file: {o.Inquiries:N0} inquiries imported, {o.Persons:N0} persons reported");
            Console.WriteLine();
            Console.WriteLine("| figure | value |");
            Console.WriteLine("| --- | --- |");
            Console.WriteLine($"| inquiries imported (CSV files of {FileRows:N0} rows) | {accepted:N0} accepted in {imported.TotalSeconds:0.0} s: " +
                $"{accepted / imported.TotalSeconds:0} rows/s |");
            Console.WriteLine($"| SQLite write transactions during the import | {importCommits:N0} " +
                $"({accepted / (double)Math.Max(1, importCommits):0.0} rows each) |");
            Console.WriteLine($"| the same files imported again | {repeated:N0} duplicates in {reimported.TotalSeconds:0.0} s: " +
                $"{repeated / reimported.TotalSeconds:0} rows/s |");
            Console.WriteLine($"| persons reported ({PersonsPerReport} a report) / view caught up after the last | {reported.TotalSeconds:0.0} s / " +
                $"{foldLag.TotalSeconds:0.0} s |");
            Console.WriteLine($"| GET an inquiry's candidates, ms p50 / p95 / p99 ({candidates.Count} inquiries) | " +
                $"{Load.Percentiles([.. candidates.Order()])} |");
            Console.WriteLine($"| persons-found report sent → its strong candidate on /api/family/stream, ms p50 / p95 / p99 / max " +
                $"({toStream.Count} reports) | {Load.Percentiles([.. toStream.Order()])} / {toStream.Max():0} |");
            Console.WriteLine();
            await app.StopAsync();
            await app.DisposeAsync();
            return accepted != o.Inquiries || repeated != o.Inquiries;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// The inquiries, as partners' lists of 5,000 rows (the limit is 50,000: one request of that many must not outlast the client's timeout
    /// on a busy machine); row i is inquiry q-i.
    /// </summary>
    internal static List<string> CsvFiles(IReadOnlyList<InquiryDetails> details) =>
        [.. details.Select((d, i) => (d, i)).Chunk(FileRows).Select(chunk =>
        {
            var csv = new StringBuilder("id,name,altNames,fatherName,motherName,birthYear,homeTown,lastSeen,contact\n");
            foreach (var (d, i) in chunk) csv.Append($"q-{i},{d.Name},,{d.FatherName},,{d.BirthYear},{d.HomeTown},,\n");
            return csv.ToString();
        })];

    /// <summary>The files imported one after another (POST /api/inquiries/import): rows accepted, rows already registered, time taken.</summary>
    internal static async Task<(int Accepted, int Duplicates, TimeSpan Took)> ImportAsync(HttpClient http, IReadOnlyList<string> files)
    {
        var (accepted, duplicates, clock) = (0, 0, Stopwatch.StartNew());
        foreach (var csv in files)
        {
            using var response = await http.PostAsync("/api/inquiries/import", new StringContent(csv, Encoding.UTF8, "text/csv"));
            response.EnsureSuccessStatusCode();
            var report = (await response.Content.ReadFromJsonAsync<JsonNode>())!;
            (accepted, duplicates) = (accepted + (int)report["accepted"]!, duplicates + (int)report["duplicates"]!);
        }
        return (accepted, duplicates, clock.Elapsed);
    }

    /// <summary>Team T searching cell C of facility "bench": where <see cref="ReportAsync"/> finds its persons.</summary>
    internal static async Task SetUpCellAsync(HttpClient http)
    {
        (await http.PostAsJsonAsync("/api/facilities", new { id = "bench", name = "Benchmark facility (simulated)" })).EnsureSuccessStatusCode();
        (await http.PutAsJsonAsync("/api/facilities/bench/layout",
            new { sectors = new object[] { new { id = "L", kind = "Level" }, new { id = "C", parent = "L", kind = "Cell" } } }))
            .EnsureSuccessStatusCode();
        (await http.PostAsJsonAsync("/api/teams", new { id = "T", callSign = "T", size = 4, capabilities = new[] { "Search" } }))
            .EnsureSuccessStatusCode();
        (await http.PostAsJsonAsync("/api/assignments", new { teamId = "T", facilityId = "bench", sectorId = "C" })).EnsureSuccessStatusCode();
        (await http.PostAsJsonAsync("/api/reports",
            new { reportId = "in", teamId = "T", facilityId = "bench", sectorId = "C", kind = "Entered" })).EnsureSuccessStatusCode();
    }

    /// <summary>A persons-found report by team T on the bench cell; the persons' ids as the node answers them.</summary>
    internal static async Task<string[]> ReportAsync(HttpClient http, string id, IReadOnlyList<PersonDetails> persons)
    {
        using var response = await PostReportAsync(http, id, persons);
        response.EnsureSuccessStatusCode();
        return [.. (await response.Content.ReadFromJsonAsync<JsonNode>())!["persons"]!.AsArray().Select(p => (string)p!)];
    }

    /// <summary>The report as <see cref="ReportAsync"/> sends it, answered as it is.</summary>
    internal static Task<HttpResponseMessage> PostReportAsync(HttpClient http, string id, IReadOnlyList<PersonDetails> persons) =>
        http.PostAsJsonAsync("/api/reports", new
        {
            reportId = id,
            teamId = "T",
            facilityId = "bench",
            sectorId = "C",
            kind = "PersonsFound",
            alive = persons.Count,
            persons = persons.Select(p =>
                new { name = p.Name, fatherName = p.FatherName, birthYear = p.BirthYear, age = p.Age, homeTown = p.HomeTown }),
        });

    /// <summary>Reports of <see cref="PersonsPerReport"/> persons, one after another; the last person's id.</summary>
    internal static async Task<string> ReportAllAsync(HttpClient http, IEnumerable<PersonDetails> persons, string prefix)
    {
        var last = "";
        foreach (var (chunk, n) in persons.Chunk(PersonsPerReport).Select((c, n) => (c, n)))
            last = (await ReportAsync(http, $"{prefix}-{n}", chunk))[^1];
        return last;
    }

    /// <summary>How long until the desk's view has read a person (found by id).</summary>
    internal static async Task<TimeSpan> UntilPersonShownAsync(HttpClient http, string person)
    {
        var caughtUp = Stopwatch.StartNew();
        while ((await http.GetFromJsonAsync<JsonNode>($"/api/persons?query={person}"))!["items"]!.AsArray().Count == 0)
        {
            if (caughtUp.Elapsed > TimeSpan.FromMinutes(30)) throw new TimeoutException("the view never read the last person");
            await Task.Delay(100);
        }
        return caughtUp.Elapsed;
    }

    /// <summary>GET an inquiry's candidates for random inquiries q-0… one after another, in ms; the first 20 warm up.</summary>
    internal static async Task<List<double>> CandidatesAsync(HttpClient http, int inquiries, int queries, Random random)
    {
        var candidates = new List<double>();
        for (var k = -20; k < queries; k++)
        {
            var watch = Stopwatch.StartNew();
            using var response = await http.GetAsync($"/api/inquiries/q-{random.Next(inquiries)}/candidates");
            response.EnsureSuccessStatusCode();
            await response.Content.ReadAsByteArrayAsync();
            if (k >= 0) candidates.Add(watch.Elapsed.TotalMilliseconds);
        }
        return candidates;
    }

    /// <summary>Records when each strong candidate first arrives on the family desk's stream.</summary>
    private static async Task Follow(HttpClient client, ConcurrentDictionary<(string, string), long> seen,
        TaskCompletionSource connected, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = client.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.Authorization = client.DefaultRequestHeaders.Authorization;
        try
        {
            using var response = await http.GetAsync("/api/family/stream", HttpCompletionOption.ResponseHeadersRead, ct);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
            while (await reader.ReadLineAsync(ct) is { } line)
            {
                if (line == ": connected") connected.TrySetResult();
                if (!line.StartsWith("data: ", StringComparison.Ordinal) || !line.Contains("\"person\"", StringComparison.Ordinal)) continue;
                var now = Stopwatch.GetTimestamp();
                var alert = JsonNode.Parse(line[6..])!["data"];
                if (alert?["inquiry"] is JsonValue inquiry && alert["person"] is JsonValue person)
                    seen.TryAdd(((string)inquiry!, (string)person!), now);
            }
        }
        catch (OperationCanceledException) { }
    }
}

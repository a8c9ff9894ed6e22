using System.Diagnostics;
using System.Net.Http.Json;
using Coordinator.Domain.Family;
using Coordinator.Fixtures;

namespace Coordinator.Benchmarks;

/// <summary>
/// A desk at Syria's scale on one node with a SQLite file: the facilities' layouts, the inquiries of families
/// abroad imported as CSV (Latin spellings) and the persons found reported in Arabic, with names drawn from small
/// pools so that they collide as common Syrian names do. It measures the bulk import, the process's resident
/// memory, an inquiry's candidates and the work queue over HTTP (quiet, then while persons-found reports arrive),
/// and a cold restart on the same files: when reports and leads' commands are answered, and when the family desk is.
/// </summary>
public static class DeskAtScale
{
    public sealed record Options(int Sectors, int Inquiries, int Persons, int Queries, int ReportsPerSecond);

    /// <summary>Sectors per facility at most, as in <see cref="Scale"/>'s default.</summary>
    private const int FacilitySize = 5000;

    public static async Task<int> RunAsync(Options o)
    {
        var folder = Directory.CreateTempSubdirectory("coord-desk-").FullName;
        Process? node = null;
        try
        {
            var (app, http) = await Scale.StartAsync(folder, port: 0, nodeDefaults: true);
            var port = http.BaseAddress!.Port;
            var population = new NameVariants.Population(11, scriptsApart: true);
            var facilities = Math.Max(1, (o.Sectors + FacilitySize - 1) / FacilitySize);
            Console.WriteLine($"importing {facilities} layouts of {o.Sectors / facilities:N0} sectors, {o.Inquiries:N0} inquiries, " +
                $"{o.Persons:N0} persons…");
            var clock = Stopwatch.StartNew();
            await Scale.ImportLayoutsAsync(http, facilities, o.Sectors / facilities);
            var layouts = clock.Elapsed;
            var (accepted, _, imported) = await FamilyMatching.ImportAsync(http,
                FamilyMatching.CsvFiles([.. Enumerable.Range(0, o.Inquiries).Select(_ => population.Inquiry())]));
            await FamilyMatching.SetUpCellAsync(http);
            await SetUpSectorAsync(http);
            clock.Restart();
            var last = await FamilyMatching.ReportAllAsync(http, Enumerable.Range(0, o.Persons).Select(_ => population.Person()), "found");
            var reported = clock.Elapsed;
            await FamilyMatching.UntilPersonShownAsync(http, last);
            var (rss, heap) = Memory();

            Console.WriteLine("an inquiry's candidates and the queue, quiet…");
            var random = new Random(3);
            var quiet = await FamilyMatching.CandidatesAsync(http, o.Inquiries, o.Queries, random);
            var queueQuiet = await QueueAsync(http, 20);

            Console.WriteLine($"… and while {o.ReportsPerSecond} persons-found reports a second arrive…");
            using var stop = new CancellationTokenSource();
            var reports = ReportLoadAsync(http, population, o.ReportsPerSecond, stop.Token);
            var busy = await FamilyMatching.CandidatesAsync(http, o.Inquiries, o.Queries, random);
            var queueBusy = await QueueAsync(http, 20);
            await stop.CancelAsync();
            var acks = await reports;

            Console.WriteLine("cold restart on the same files, the node in a process of its own…");
            await app.StopAsync();
            await app.DisposeAsync();
            http.Dispose();
            var restart = Stopwatch.StartNew();
            // A process of its own: a node stopped in this one stays reachable (ASP.NET's rate limiter keeps a timer
            // on it), and the restarted node's memory is then what a node holds, not two nodes' and the client's.
            node = Process.Start(new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "Coordinator.Node"),
                Scale.Arguments(folder, port, nodeDefaults: true))) ?? throw new InvalidOperationException("the node did not start");
            http = Scale.Client(port);
            var n = 0;
            var (report, found, command, desk) = (
                // The same report id on every try: a report that was recorded but not yet answered is answered again, once.
                UntilAnsweredAsync(restart, () => http.PostAsJsonAsync("/api/reports",
                    new { reportId = "restart", teamId = "W", facilityId = "F0", sectorId = Sector, kind = "Entered" })),
                UntilAnsweredAsync(restart, () => FamilyMatching.PostReportAsync(http, "restart-found", [population.Person()])),
                UntilAnsweredAsync(restart, () => http.PostAsJsonAsync("/api/teams",
                    new { id = $"R{Interlocked.Increment(ref n)}", callSign = "R", size = 4, capabilities = new[] { "Search" } })),
                UntilAnsweredAsync(restart, () => http.GetAsync("/api/inquiries/q-0/candidates")));
            await Task.WhenAll(report, found, command, desk);
            node.Refresh();
            var rssAfter = node.WorkingSet64 / 1048576;

            Console.WriteLine();
            Console.WriteLine($"| figure ({o.Sectors:N0} sectors, {o.Inquiries:N0} inquiries, {o.Persons:N0} persons) | value |");
            Console.WriteLine("| --- | --- |");
            Console.WriteLine($"| layouts imported ({facilities} facilities) | {layouts.TotalSeconds:0.0} s |");
            Console.WriteLine($"| inquiries imported (CSV files of 5,000 rows, Latin spellings) | {accepted:N0} in {imported.TotalSeconds:0.0} s: " +
                $"{accepted / imported.TotalSeconds:0} rows/s |");
            Console.WriteLine($"| persons reported (Arabic script, 200 a report) | {reported.TotalSeconds:0.0} s |");
            Console.WriteLine($"| process resident memory / managed heap, loaded | {rss:N0} MiB / {heap:N0} MiB |");
            Console.WriteLine($"| GET an inquiry's candidates, quiet, ms p50 / p95 / p99 ({quiet.Count}) | {Load.Percentiles([.. quiet.Order()])} |");
            Console.WriteLine($"| … while persons-found reports arrive ({o.ReportsPerSecond}/s), ms p50 / p95 / p99 " +
                $"({busy.Count}) | {Load.Percentiles([.. busy.Order()])} |");
            Console.WriteLine($"| those reports' answers, ms p50 / p95 / p99 ({acks.Count}) | {Load.Percentiles([.. acks.Order()])} |");
            Console.WriteLine($"| GET the work queue, quiet / while reports arrive, ms p50 / max | {Load.Percentiles([.. queueQuiet.Order()])
                .Split(" / ")[0]} / {queueQuiet.Max():0} / {Load.Percentiles([.. queueBusy.Order()]).Split(" / ")[0]} / {queueBusy.Max():0} |");
            Console.WriteLine($"| cold restart: a sector's report accepted / a persons-found report in the cell holding all " +
                $"{o.Persons:N0} persons | {(await report).TotalSeconds:0.0} s / {(await found).TotalSeconds:0.0} s |");
            Console.WriteLine($"| cold restart: a lead's command accepted | " +
                $"{(await command).TotalSeconds:0.0} s |");
            Console.WriteLine($"| cold restart: the family desk answers (an inquiry's candidates) | {(await desk).TotalSeconds:0.0} s |");
            Console.WriteLine($"| the restarted node's resident memory, once it answered | {rssAfter:N0} MiB |");
            return accepted == o.Inquiries ? 0 : 1;
        }
        finally
        {
            if (node is { HasExited: false })
            {
                node.Kill(entireProcessTree: true);
                await node.WaitForExitAsync();
            }
            node?.Dispose();
            // COORD_KEEP_DATA keeps the node's files, to restart a node on them by hand (docs/benchmarks.md).
            if (Environment.GetEnvironmentVariable("COORD_KEEP_DATA") is null) Directory.Delete(folder, recursive: true);
            else Console.WriteLine($"the node's files are kept in {folder}");
        }
    }

    /// <summary>The cell of F0 a team W works in, assigned before the restart: where the restarted node's first report goes.</summary>
    private const string Sector = "L0-B0-C0";

    private static async Task SetUpSectorAsync(HttpClient http)
    {
        (await http.PostAsJsonAsync("/api/teams", new { id = "W", callSign = "W", size = 4, capabilities = new[] { "Search" } }))
            .EnsureSuccessStatusCode();
        (await http.PostAsJsonAsync("/api/assignments", new { teamId = "W", facilityId = "F0", sectorId = Sector })).EnsureSuccessStatusCode();
    }

    /// <summary>
    /// The resident set of this process (the node, and the benchmark's client beside it) and the managed heap, in MiB,
    /// after a full compacting collection: what the node holds, not garbage that no collection has reached yet.
    /// </summary>
    private static (long Rss, long Heap) Memory()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        using var process = Process.GetCurrentProcess();
        return (process.WorkingSet64 / 1048576, GC.GetTotalMemory(forceFullCollection: false) / 1048576);
    }

    /// <summary>GET /api/family/queue <paramref name="times"/> times, in ms, after two that warm up.</summary>
    private static async Task<List<double>> QueueAsync(HttpClient http, int times)
    {
        var took = new List<double>();
        for (var k = -2; k < times; k++)
        {
            var watch = Stopwatch.StartNew();
            using var response = await http.GetAsync("/api/family/queue");
            response.EnsureSuccessStatusCode();
            await response.Content.ReadAsByteArrayAsync();
            if (k >= 0) took.Add(watch.Elapsed.TotalMilliseconds);
        }
        return took;
    }

    /// <summary>Persons-found reports of two persons each, paced at <paramref name="perSecond"/>, until stopped: each one's answer, in ms.</summary>
    private static async Task<List<double>> ReportLoadAsync(HttpClient http, NameVariants.Population population, int perSecond,
        CancellationToken stop)
    {
        var inFlight = new List<Task<double>>();
        var clock = Stopwatch.StartNew();
        for (var k = 0; !stop.IsCancellationRequested; k++)
        {
            var persons = new[] { population.Person(), population.Person() };
            var id = $"load-{k}";
            inFlight.Add(Timed(() => FamilyMatching.PostReportAsync(http, id, persons)));
            var due = TimeSpan.FromSeconds((k + 1) / (double)perSecond) - clock.Elapsed;
            if (due > TimeSpan.Zero)
                try { await Task.Delay(due, stop); }
                catch (OperationCanceledException) { }
        }
        return [.. await Task.WhenAll(inFlight)];

        static async Task<double> Timed(Func<Task<HttpResponseMessage>> send)
        {
            var watch = Stopwatch.StartNew();
            using var response = await send();
            response.EnsureSuccessStatusCode();
            return watch.Elapsed.TotalMilliseconds;
        }
    }

    /// <summary>The time on <paramref name="since"/> when the request is first answered with success, tried again every 50 ms.</summary>
    private static async Task<TimeSpan> UntilAnsweredAsync(Stopwatch since, Func<Task<HttpResponseMessage>> send)
    {
        while (true)
        {
            try
            {
                using var response = await send();
                if (response.IsSuccessStatusCode) return since.Elapsed;
            }
            catch (HttpRequestException) { } // not listening yet
            if (since.Elapsed > TimeSpan.FromMinutes(5)) throw new TimeoutException("the restarted node never answered");
            await Task.Delay(50);
        }
    }
}

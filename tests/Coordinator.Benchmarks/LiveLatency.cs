using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Coordinator.Node;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Coordinator.Benchmarks;

/// <summary>
/// Field units reporting at a fixed rate against one node (embedded SQLite, loopback only, bounded in count and
/// time), and a monitor on the live stream; before it, in the same run, the storage ceiling and a plain CRUD
/// service under the same load. Measures acknowledgement latency and the time from a report's acknowledgement
/// to its change arriving on the stream, and the ratios to the baselines.
/// </summary>
public static class LiveLatency
{
    private static readonly string Token = $"bench-{Guid.NewGuid():N}";

    /// <param name="node">Extra settings for the node (--Coordinator:…=…), to compare variants in one session.</param>
    public static async Task<int> RunAsync(Load.Options o, string[] node)
    {
        Console.WriteLine($"baseline 1, the storage ceiling: {o.Rate * (int)o.Duration.TotalSeconds} rows of 400 bytes in batches of 100, SQLite, " +
            $"no HTTP, no actors…");
        var (ceiling, synchronous) = Baselines.StorageCeiling(o.Rate * (int)o.Duration.TotalSeconds, 400, 100);
        Console.WriteLine($"baseline 2, a plain CRUD service (same HTTP stack, same SQLite settings, a transaction per report) at {o.Rate}/s for " +
            $"{o.Duration.TotalSeconds:0} s…");
        var crud = await Baselines.CrudAsync(o);

        var folder = Directory.CreateTempSubdirectory("coord-bench-").FullName;
        var app = NodeApp.Build([
            "--urls", "http://127.0.0.1:0", $"--Coordinator:Persistence:ConnectionString=Data Source={Path.Combine(folder, "coordinator.db")}",
            "--Logging:LogLevel:Default=Warning", "--Coordinator:Api:AskTimeout=00:00:10",
            $"--Coordinator:Auth:BootstrapToken={Token}", $"--Coordinator:Auth:DataFolder={folder}", "--Coordinator:Auth:RequestsPerMinute=0",
            .. node,
        ]);
        await app.StartAsync();
        var server = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        using (var probe = new HttpClient { BaseAddress = server }) await Load.UntilReadyAsync(probe, TimeSpan.FromMinutes(1));
        try
        {
            Console.WriteLine($"Coordinator{(node.Length > 0 ? $" ({string.Join(' ', node)})" : "")}: setting up {o.Sectors} cells and teams on " +
                $"{server}…");
            var m = await MeasureAsync([server], Token, o, () => JournalRows(Path.Combine(folder, "coordinator.db")));
            Console.WriteLine();
            Console.WriteLine($"| figure | Coordinator | plain CRUD baseline |");
            Console.WriteLine("| --- | --- | --- |");
            Console.WriteLine($"| reports sent / acknowledged / failed | {Counts(m.Load)} | {Counts(crud)} |");
            Console.WriteLine($"| acknowledged per second (offered {o.Rate}/s) | {m.Load.Rate:0} | {crud.Rate:0} |");
            Console.WriteLine($"| acknowledgement p50 / p95 / p99 ms | {m.Load.Ack} | {crud.Ack} |");
            Console.WriteLine($"| acknowledgement → stream p50 / p95 / p99 ms | {m.ToStream} | (no stream) |");
            Console.WriteLine($"| acknowledged changes never seen on the stream | {m.Unseen} | |");
            Console.WriteLine($"| facility's own record counted every person, after the last acknowledgement | {m.FacilityBehind} | |");
            Console.WriteLine($"| journal rows per acknowledged report, by entity (warm-up included) | {m.RowsPerReport} | " +
                $"2 row writes (sector, report) |");
            Console.WriteLine($"| storage ceiling (same rows, batches of 100, synchronous={synchronous}) | {ceiling:0} rows/s | |");
            Console.WriteLine($"| Coordinator ÷ CRUD throughput | {m.Load.Rate / crud.Rate:0.00}× | |");
            Console.WriteLine($"| fraction of the storage ceiling (journal rows as above) | " +
                $"{(m.Rows is { } rows ? (rows * m.Load.Rate / ceiling).ToString("P1") : "-")} | {crud.Rate * 2 / ceiling:P1} " +
                $"(2 row writes per report) |");
            Console.WriteLine($"| process CPU while offered: cores busy / ms per acknowledged report (load generator included) | {m.Load.CpuUse} | " +
                $"{crud.CpuUse} |");
            Console.WriteLine($"| generator behind its schedule p50 / p95 / p99 ms | {m.Load.Late} | {crud.Late} |");
            Console.WriteLine($"| warm-up before the measured load | {m.Load.Warmup} | {crud.Warmup} |");
            Console.WriteLine($"| process peak working set | {Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024)} MiB | |");
            return m.Complete ? 0 : 1;
        }
        finally
        {
            await app.StopAsync();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>
    /// The same load against nodes already running elsewhere (e.g. <c>deploy/local/cluster.sh up 3</c> on
    /// PostgreSQL), spread round-robin over them, with the monitor on the first: no in-process baselines.
    /// </summary>
    public static async Task<int> RunRemoteAsync(Uri[] nodes, string token, Load.Options o)
    {
        Console.WriteLine($"Coordinator on {nodes.Length} node(s) ({string.Join(", ", nodes.Select(n => n.ToString()))}): setting up {o.Sectors} " +
            $"cells and teams…");
        var m = await MeasureAsync(nodes, token, o);
        Console.WriteLine();
        Console.WriteLine($"| figure | Coordinator, {nodes.Length} node(s) |");
        Console.WriteLine("| --- | --- |");
        Console.WriteLine($"| reports sent / acknowledged / failed | {Counts(m.Load)} |");
        Console.WriteLine($"| acknowledged per second (offered {o.Rate}/s) | {m.Load.Rate:0} |");
        Console.WriteLine($"| acknowledgement p50 / p95 / p99 ms | {m.Load.Ack} |");
        Console.WriteLine($"| generator behind its schedule p50 / p95 / p99 ms | {m.Load.Late} |");
        Console.WriteLine($"| warm-up before the measured load (the JIT counted is the generator's) | {m.Load.Warmup} |");
        Console.WriteLine($"| acknowledgement → stream p50 / p95 / p99 ms (monitor on the first node) | {m.ToStream} |");
        Console.WriteLine($"| acknowledged changes never seen on the stream | {m.Unseen} |");
        Console.WriteLine($"| facility's own record counted every person, after the last acknowledgement | {m.FacilityBehind} |");
        return m.Complete ? 0 : 1;
    }

    /// <param name="Rows">Journal rows written per acknowledged report (1 sector event plus the facility's copies, when known).</param>
    private sealed record Measured(Load.Offered Load, string ToStream, int Unseen, double? Rows, string RowsPerReport, string FacilityBehind)
    {
        public bool Complete => Load.Ok.Count == Load.Sent.Count && Unseen == 0;
    }

    private static string Counts(Load.Offered l) => $"{l.Sent.Count} / {l.Ok.Count} / {l.Sent.Count - l.Ok.Count}";

    /// <summary>Sets up the facility, opens the monitor, offers the load and waits for every acknowledged change on the stream.</summary>
    /// <param name="journalRows">Counts the journal's rows by entity kind, when the journal is in reach.</param>
    private static async Task<Measured> MeasureAsync(Uri[] nodes, string token, Load.Options o, Func<Dictionary<string, long>>? journalRows = null)
    {
        using var http = new HttpClient(new RoundRobin(nodes) { InnerHandler = new SocketsHttpHandler { MaxConnectionsPerServer = o.Concurrency } })
        { BaseAddress = nodes[0], Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        var teamTokens = await Setup(http, o.Sectors, o.Concurrency);

        var seen = new ConcurrentDictionary<(string, long), long>();
        using var streamStop = new CancellationTokenSource();
        var connected = new TaskCompletionSource();
        var monitor = Monitor(nodes[0], token, seen, connected, streamStop.Token);
        await connected.Task.WaitAsync(TimeSpan.FromSeconds(10)); // subscribed: the node says ": connected"

        Console.WriteLine($"sending {o.Rate * o.Duration.TotalSeconds:0} reports at {o.Rate}/s for {o.Duration.TotalSeconds:0} s " +
            $"with up to {o.Concurrency} in flight{(o.Warmup > TimeSpan.Zero
                ? $", after a warm-up at the same rate in rounds of {o.Warmup.TotalSeconds:0} s until the JIT settles"
                : "")}…");
        var rowsBefore = journalRows?.Invoke();
        var personsBefore = await PersonsAlive(http) ?? 0;
        var offered = await Load.OfferAsync(http, o, teamTokens);
        var ended = Stopwatch.GetTimestamp();
        var ok = offered.Ok;
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (ok.Any(a => !seen.ContainsKey((a.Sector, a.Version))) && DateTime.UtcNow < deadline) await Task.Delay(100);
        streamStop.Cancel();
        var facilityBehind = await FacilityCaughtUp(http, personsBefore + ok.Count + offered.WarmedUp, ended);
        await monitor.ContinueWith(_ => { });

        var toStream = ok.Where(a => seen.ContainsKey((a.Sector, a.Version)))
            .Select(a => Math.Max(0, Stopwatch.GetElapsedTime(a.Answered, seen[(a.Sector, a.Version)]).TotalMilliseconds)).Order().ToList();
        var written = journalRows?.Invoke().Select(r => (Kind: r.Key, Rows: r.Value - rowsBefore!.GetValueOrDefault(r.Key)))
            .Where(r => r.Rows > 0).ToList() ?? [];
        var reports = Math.Max(1, ok.Count + offered.WarmedUp);
        return new Measured(offered, Load.Percentiles(toStream), ok.Count - toStream.Count,
            written.Count == 0 ? null : written.Sum(r => r.Rows) / (double)reports,
            written.Count == 0 ? "-" : string.Join(", ", written.Select(r => $"{r.Kind} {r.Rows / (double)reports:0.00}")), facilityBehind);
    }

    /// <summary>
    /// How long after the last acknowledgement the facility's own record (its copies of the sectors' progress,
    /// which sign-off decides on) counted every person reported: every report of the load finds one person.
    /// </summary>
    private static async Task<string> FacilityCaughtUp(HttpClient http, int persons, long ended)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (DateTime.UtcNow < deadline)
        {
            if (await PersonsAlive(http) >= persons) return $"{Stopwatch.GetElapsedTime(ended).TotalSeconds:0.0} s";
            await Task.Delay(100);
        }
        return "not within 2 minutes";
    }

    /// <summary>The persons found alive in the facility's own record, when it answers.</summary>
    private static async Task<int?> PersonsAlive(HttpClient http)
    {
        using var response = await http.GetAsync("/api/facilities/bench");
        return response.IsSuccessStatusCode ? (int)(await response.Content.ReadFromJsonAsync<JsonNode>())!["progress"]!["personsAlive"]! : null;
    }

    /// <summary>Rows in the node's journal by entity kind (the persistence id's prefix), read beside the running node.</summary>
    private static Dictionary<string, long> JournalRows(string file)
    {
        using var connection = new SqliteConnection(
            new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly }.ToString());
        connection.Open();
        using var count = connection.CreateCommand();
        count.CommandText = "SELECT substr(persistence_id, 1, instr(persistence_id, '-') - 1), count(*) FROM journal GROUP BY 1";
        using var rows = count.ExecuteReader();
        var byKind = new Dictionary<string, long>();
        while (rows.Read()) byKind[rows.GetString(0)] = rows.GetInt64(1);
        return byKind;
    }

    /// <summary>Sends each request to the next node in turn, as field units spread over a cluster's nodes would.</summary>
    private sealed class RoundRobin(Uri[] nodes) : DelegatingHandler
    {
        private int _next = -1;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            var node = nodes[(int)((uint)Interlocked.Increment(ref _next) % nodes.Length)];
            request.RequestUri = new Uri(node, request.RequestUri!.PathAndQuery);
            return base.SendAsync(request, ct);
        }
    }

    /// <summary>A facility of one level of cells, a team on each cell with the cell entered; returns each team's field token.</summary>
    private static async Task<string[]> Setup(HttpClient http, int sectors, int concurrency)
    {
        var teamTokens = new string[sectors];
        (await http.PostAsJsonAsync("/api/facilities", new { id = "bench", name = "Benchmark facility (simulated)" })).EnsureSuccessStatusCode();
        var layout = new List<object> { new { id = "L", kind = "Level" } };
        layout.AddRange(Enumerable.Range(0, sectors).Select(i => new { id = $"C-{i}", parent = "L", kind = "Cell" }));
        (await http.PutAsJsonAsync("/api/facilities/bench/layout", new { sectors = layout })).EnsureSuccessStatusCode();
        await Parallel.ForEachAsync(Enumerable.Range(0, sectors),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Min(concurrency, 64) }, async (i, _) =>
        {
            (await http.PostAsJsonAsync("/api/teams", new { id = $"T-{i}", callSign = $"T{i}", size = 4, capabilities = new[] { "Search" } }))
                .EnsureSuccessStatusCode();
            (await http.PostAsJsonAsync("/api/assignments", new { teamId = $"T-{i}", facilityId = "bench", sectorId = $"C-{i}" }))
                .EnsureSuccessStatusCode();
            (await http.PostAsJsonAsync("/api/reports",
                new { reportId = $"in-{i}", teamId = $"T-{i}", facilityId = "bench", sectorId = $"C-{i}", kind = "Entered" }))
                .EnsureSuccessStatusCode();
            using var issued = (await http.PostAsJsonAsync("/api/tokens", new { role = "field", team = $"T-{i}", expires = "12h" }))
                .EnsureSuccessStatusCode();
            teamTokens[i] = (string)(await issued.Content.ReadFromJsonAsync<JsonNode>())!["token"]!;
        });
        return teamTokens;
    }

    /// <summary>Records when each sector version first arrives on the live stream.</summary>
    private static async Task Monitor(Uri server, string token, ConcurrentDictionary<(string, long), long> seen,
        TaskCompletionSource connected, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = server, Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        using var response = await http.GetAsync("/api/stream?facility=bench", HttpCompletionOption.ResponseHeadersRead, ct);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
        try
        {
            while (await reader.ReadLineAsync(ct) is { } line)
            {
                if (line == ": connected") connected.TrySetResult();
                if (!line.StartsWith("data: {\"kind\":\"sector\"", StringComparison.Ordinal)) continue;
                var now = Stopwatch.GetTimestamp();
                var d = JsonNode.Parse(line[6..])!;
                seen.TryAdd(((string)d["sector"]!, (long)d["data"]!["version"]!), now);
            }
        }
        catch (OperationCanceledException) { }
    }
}

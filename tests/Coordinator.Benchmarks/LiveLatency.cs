using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Coordinator.Node;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Coordinator.Benchmarks;

/// <summary>
/// Field units reporting at a fixed rate against one node (embedded SQLite, loopback only, bounded in count and
/// time), and a monitor on the live stream. Measures acknowledgement latency and the time from a report's
/// acknowledgement to its change arriving on the stream.
/// </summary>
public static class LiveLatency
{
    private static readonly string Token = $"bench-{Guid.NewGuid():N}";

    public sealed record Options(int Rate, TimeSpan Duration, int Sectors, int Concurrency);

    public static async Task<int> RunAsync(Options o)
    {
        var folder = Directory.CreateTempSubdirectory("coord-bench-").FullName;
        var app = NodeApp.Build([
            "--urls", "http://127.0.0.1:0", $"--Coordinator:Persistence:ConnectionString=Data Source={Path.Combine(folder, "coordinator.db")}",
            "--Logging:LogLevel:Default=Warning", "--Coordinator:Api:AskTimeout=00:00:10",
            $"--Coordinator:Auth:BootstrapToken={Token}", $"--Coordinator:Auth:DataFolder={folder}", "--Coordinator:Auth:RequestsPerMinute=0",
        ]);
        await app.StartAsync();
        var server = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = o.Concurrency }) { BaseAddress = server, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", Token);
        try
        {
            Console.WriteLine($"setting up {o.Sectors} cells and teams on {server}…");
            await Setup(http, o.Sectors, o.Concurrency);

            var seen = new ConcurrentDictionary<(string, long), long>();
            using var streamStop = new CancellationTokenSource();
            var connected = new TaskCompletionSource();
            var monitor = Monitor(server, seen, connected, streamStop.Token);
            await connected.Task.WaitAsync(TimeSpan.FromSeconds(10)); // subscribed: the node says ": connected"

            var acks = new ConcurrentBag<(string Sector, long Version, long Sent, long Acked, int Status)>();
            var total = (int)(o.Rate * o.Duration.TotalSeconds);
            var clock = Stopwatch.StartNew();
            using var gate = new SemaphoreSlim(o.Concurrency);
            var inflight = new List<Task>(total);
            Console.WriteLine($"sending {total} reports at {o.Rate}/s for {o.Duration.TotalSeconds:0} s with up to {o.Concurrency} in flight…");
            for (var i = 0; i < total; i++)
            {
                var due = TimeSpan.FromSeconds((double)i / o.Rate);
                if (due > clock.Elapsed) await Task.Delay(due - clock.Elapsed);
                await gate.WaitAsync();
                var n = i;
                inflight.Add(Task.Run(async () =>
                {
                    try
                    {
                        var sector = $"C-{n % o.Sectors}";
                        var sent = Stopwatch.GetTimestamp();
                        using var response = await http.PostAsJsonAsync("/api/reports", new { reportId = $"b-{n}", teamId = $"T-{n % o.Sectors}", facilityId = "bench", sectorId = sector, kind = "PersonsFound", alive = 1 });
                        var acked = Stopwatch.GetTimestamp();
                        var body = await response.Content.ReadFromJsonAsync<JsonNode>();
                        acks.Add((sector, response.IsSuccessStatusCode ? (long)body!["version"]! : -1, sent, acked, (int)response.StatusCode));
                    }
                    finally { gate.Release(); }
                }));
            }
            await Task.WhenAll(inflight);
            var elapsed = clock.Elapsed;

            var ok = acks.Where(a => a.Status == 200).ToList();
            var deadline = DateTime.UtcNow.AddSeconds(15);
            while (ok.Any(a => !seen.ContainsKey((a.Sector, a.Version))) && DateTime.UtcNow < deadline) await Task.Delay(100);
            streamStop.Cancel();

            var ackMs = ok.Select(a => Stopwatch.GetElapsedTime(a.Sent, a.Acked).TotalMilliseconds).Order().ToList();
            var toStream = ok.Where(a => seen.ContainsKey((a.Sector, a.Version)))
                .Select(a => Math.Max(0, Stopwatch.GetElapsedTime(a.Acked, seen[(a.Sector, a.Version)]).TotalMilliseconds)).Order().ToList();
            Console.WriteLine();
            Console.WriteLine("| figure | value |");
            Console.WriteLine("| --- | --- |");
            Console.WriteLine($"| reports sent / acknowledged (2xx) / refused or failed | {total} / {ok.Count} / {total - ok.Count} |");
            Console.WriteLine($"| offered rate / achieved acknowledged rate | {o.Rate}/s / {ok.Count / elapsed.TotalSeconds:0}/s |");
            Console.WriteLine($"| acknowledgement latency p50 / p95 / p99 | {P(ackMs, 50)} / {P(ackMs, 95)} / {P(ackMs, 99)} ms |");
            Console.WriteLine($"| acknowledgement → stream p50 / p95 / p99 | {P(toStream, 50)} / {P(toStream, 95)} / {P(toStream, 99)} ms |");
            Console.WriteLine($"| acknowledged changes never seen on the stream | {ok.Count - toStream.Count} |");
            Console.WriteLine($"| node process peak working set | {Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024)} MiB |");
            await monitor.ContinueWith(_ => { });
            return ok.Count == total && toStream.Count == ok.Count ? 0 : 1;
        }
        finally
        {
            await app.StopAsync();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string P(List<double> sorted, int percentile) =>
        sorted.Count == 0 ? "-" : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1)].ToString("0.0");

    private static async Task Setup(HttpClient http, int sectors, int concurrency)
    {
        (await http.PostAsJsonAsync("/api/facilities", new { id = "bench", name = "Benchmark facility (simulated)" })).EnsureSuccessStatusCode();
        var layout = new List<object> { new { id = "L", kind = "Level" } };
        layout.AddRange(Enumerable.Range(0, sectors).Select(i => new { id = $"C-{i}", parent = "L", kind = "Cell" }));
        (await http.PutAsJsonAsync("/api/facilities/bench/layout", new { sectors = layout })).EnsureSuccessStatusCode();
        await Parallel.ForEachAsync(Enumerable.Range(0, sectors), new ParallelOptions { MaxDegreeOfParallelism = Math.Min(concurrency, 64) }, async (i, _) =>
        {
            (await http.PostAsJsonAsync("/api/teams", new { id = $"T-{i}", callSign = $"T{i}", size = 4, capabilities = new[] { "Search" } })).EnsureSuccessStatusCode();
            (await http.PostAsJsonAsync("/api/assignments", new { teamId = $"T-{i}", facilityId = "bench", sectorId = $"C-{i}" })).EnsureSuccessStatusCode();
            (await http.PostAsJsonAsync("/api/reports", new { reportId = $"in-{i}", teamId = $"T-{i}", facilityId = "bench", sectorId = $"C-{i}", kind = "Entered" })).EnsureSuccessStatusCode();
        });
    }

    /// <summary>Records when each sector version first arrives on the live stream.</summary>
    private static async Task Monitor(Uri server, ConcurrentDictionary<(string, long), long> seen, TaskCompletionSource connected, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = server, Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.Authorization = new("Bearer", Token);
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

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Coordinator.Benchmarks;

/// <summary>One acknowledged (or failed) report: which sector version it made, and when it was sent and answered.</summary>
public sealed record Sent(string Sector, long Version, long At, long Answered, int Status);

/// <summary>
/// Field units at a fixed, open-loop rate: report n is due at n/rate seconds whatever happened to the ones
/// before it, with at most <c>concurrency</c> in flight. The same generator drives Coordinator and the baseline.
/// </summary>
public static class Load
{
    /// <param name="Warmup">One round of warm-up, offered at the same rate and not measured (none when zero).</param>
    public sealed record Options(int Rate, TimeSpan Duration, int Sectors, int Concurrency, TimeSpan Warmup = default);

    /// <summary>
    /// Warm-up goes on, round after round, until the JIT compiled fewer methods than this in the last round
    /// (or <see cref="MaxWarmupRounds"/> rounds passed): a fresh process compiles and recompiles its hot paths
    /// for tens of seconds, which a node running for hours has long done. Measured on a standalone node at
    /// 1,000 reports/s: 1.71 cores busy in its first 25 s, 0.94–1.04 after.
    /// </summary>
    public const int SettledJit = 100;

    public const int MaxWarmupRounds = 12;

    /// <summary>
    /// What one offered load did: every report, the time it took, the CPU the whole process (node, generator
    /// and stream client) spent meanwhile, and how far behind its schedule the generator sent each report.
    /// </summary>
    /// <param name="WarmedUp">Reports acknowledged in the warm-up.</param>
    /// <param name="Warmup">How long the warm-up went on, and the methods this process's JIT compiled in its last round.</param>
    public sealed record Offered(List<Sent> Sent, TimeSpan Elapsed, TimeSpan Cpu, List<double> LateMs, int WarmedUp = 0, string Warmup = "none")
    {
        public List<Sent> Ok { get; } = [.. Sent.Where(a => a.Status == 200)];
        public double Rate => Ok.Count / Elapsed.TotalSeconds;

        /// <summary>Acknowledgement latency, "p50 / p95 / p99" ms.</summary>
        public string Ack => Percentiles(AckMs(Ok));

        /// <summary>How far behind its schedule the generator sent, "p50 / p95 / p99" ms.</summary>
        public string Late => Percentiles(LateMs);

        /// <summary>"cores busy / CPU ms per acknowledged report".</summary>
        public string CpuUse => $"{Cpu / Elapsed:0.00} / {(Ok.Count == 0 ? 0 : Cpu.TotalMilliseconds / Ok.Count):0.00}";
    }

    /// <summary>Report n, from team n mod sectors on its cell, with that team's own field token.</summary>
    public static HttpRequestMessage Report(string id, int n, int sectors, IReadOnlyList<string> teamTokens) =>
        new(HttpMethod.Post, "/api/reports")
        {
            Content = JsonContent.Create(new
            {
                reportId = id,
                teamId = $"T-{n % sectors}",
                facilityId = "bench",
                sectorId = $"C-{n % sectors}",
                kind = "PersonsFound",
                alive = 1
            }),
            Headers = { Authorization = new("Bearer", teamTokens[n % sectors]) },
        };

    /// <summary>The warm-up (if any), then the measured load.</summary>
    /// <param name="teamTokens">Team i's field token: a field unit reports with its own, as in the field.</param>
    public static async Task<Offered> OfferAsync(HttpClient http, Options o, IReadOnlyList<string> teamTokens)
    {
        // Report ids are new in every run, so a run against nodes that took an earlier one records (not repeats) them.
        var run = Guid.NewGuid().ToString("N")[..8];
        var (warmedUp, rounds, compiled) = (0, 0, 0L);
        while (o.Warmup > TimeSpan.Zero && rounds < MaxWarmupRounds && (rounds == 0 || compiled >= SettledJit))
        {
            var before = System.Runtime.JitInfo.GetCompiledMethodCount();
            warmedUp += (await OfferOnceAsync(http, o with { Duration = o.Warmup }, $"w{rounds++}-{run}", teamTokens)).Ok.Count;
            compiled = System.Runtime.JitInfo.GetCompiledMethodCount() - before;
        }
        var warmup = rounds == 0 ? "none"
            : $"{rounds * o.Warmup.TotalSeconds:0} s ({compiled} methods compiled in the last {o.Warmup.TotalSeconds:0} s)";
        return await OfferOnceAsync(http, o, $"b-{run}", teamTokens) with { WarmedUp = warmedUp, Warmup = warmup };
    }

    private static async Task<Offered> OfferOnceAsync(HttpClient http, Options o, string prefix, IReadOnlyList<string> teamTokens)
    {
        var sent = new ConcurrentBag<Sent>();
        var late = new ConcurrentBag<double>();
        var total = (int)(o.Rate * o.Duration.TotalSeconds);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        using var gate = new SemaphoreSlim(o.Concurrency);
        var inflight = new List<Task>(total);
        for (var i = 0; i < total; i++)
        {
            var due = TimeSpan.FromSeconds((double)i / o.Rate);
            // Read the clock once: a wait computed after the check can come out at -1 ms, which Task.Delay takes
            // for "forever" (it stalled a run once).
            var wait = due - clock.Elapsed;
            if (wait > TimeSpan.Zero) await Task.Delay(wait);
            await gate.WaitAsync();
            var n = i;
            inflight.Add(Task.Run(async () =>
            {
                try
                {
                    late.Add(Math.Max(0, (clock.Elapsed - due).TotalMilliseconds));
                    var at = Stopwatch.GetTimestamp();
                    using var response = await http.SendAsync(Report($"{prefix}-{n}", n, o.Sectors, teamTokens));
                    var answered = Stopwatch.GetTimestamp();
                    var body = response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonNode>() : null;
                    sent.Add(new Sent($"C-{n % o.Sectors}", body is null ? -1 : (long)body["version"]!, at, answered, (int)response.StatusCode));
                }
                catch (HttpRequestException) { sent.Add(new Sent($"C-{n % o.Sectors}", -1, 0, 0, 0)); }
                catch (TaskCanceledException) { sent.Add(new Sent($"C-{n % o.Sectors}", -1, 0, 0, 0)); }
                finally { gate.Release(); }
            }));
        }
        await Task.WhenAll(inflight);
        return new Offered([.. sent], clock.Elapsed, Process.GetCurrentProcess().TotalProcessorTime - cpu, [.. late.Order()]);
    }

    private static List<double> AckMs(IEnumerable<Sent> ok) =>
        ok.Select(a => Stopwatch.GetElapsedTime(a.At, a.Answered).TotalMilliseconds).Order().ToList();

    /// <summary>"p50 / p95 / p99" of sorted milliseconds, as the result tables show them.</summary>
    /// <summary>Waits until the node says it is ready: it answers tokens only once its live view has read the journal.</summary>
    public static async Task UntilReadyAsync(HttpClient http, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (!(await http.GetAsync("/healthz/ready")).IsSuccessStatusCode)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("node not ready");
            await Task.Delay(50);
        }
    }

    public static string Percentiles(List<double> sorted) => $"{P(sorted, 50)} / {P(sorted, 95)} / {P(sorted, 99)}";

    private static string P(List<double> sorted, int percentile) =>
        sorted.Count == 0 ? "-" : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1)].ToString("0.0");
}

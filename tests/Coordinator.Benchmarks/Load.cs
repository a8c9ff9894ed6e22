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
    public sealed record Options(int Rate, TimeSpan Duration, int Sectors, int Concurrency);

    public static object Report(int n, int sectors) =>
        new { reportId = $"b-{n}", teamId = $"T-{n % sectors}", facilityId = "bench", sectorId = $"C-{n % sectors}", kind = "PersonsFound", alive = 1 };

    public static async Task<(List<Sent> Sent, TimeSpan Elapsed)> OfferAsync(HttpClient http, Options o)
    {
        var sent = new ConcurrentBag<Sent>();
        var total = (int)(o.Rate * o.Duration.TotalSeconds);
        var clock = Stopwatch.StartNew();
        using var gate = new SemaphoreSlim(o.Concurrency);
        var inflight = new List<Task>(total);
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
                    var at = Stopwatch.GetTimestamp();
                    using var response = await http.PostAsJsonAsync("/api/reports", Report(n, o.Sectors));
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
        return ([.. sent], clock.Elapsed);
    }

    public static List<double> AckMs(IEnumerable<Sent> ok) => ok.Select(a => Stopwatch.GetElapsedTime(a.At, a.Answered).TotalMilliseconds).Order().ToList();

    /// <summary>"p50 / p95 / p99" of sorted milliseconds, as the result tables show them.</summary>
    public static string Percentiles(List<double> sorted) => $"{P(sorted, 50)} / {P(sorted, 95)} / {P(sorted, 99)}";

    private static string P(List<double> sorted, int percentile) =>
        sorted.Count == 0 ? "-" : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1)].ToString("0.0");
}

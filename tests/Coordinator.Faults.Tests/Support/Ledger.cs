using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Coordinator.Faults.Tests.Support;

/// <summary>What the field units were told against what the journal and every node's view hold.</summary>
public static class Ledger
{
    /// <summary>
    /// Every acknowledged report is in its sector's journal exactly once, the sector's events are numbered
    /// 1..n without a gap or a repeat (no two writers), the sector counts them, and every surviving node's
    /// live view shows the same counts.
    /// </summary>
    public static async Task VerifyAsync(FieldUnits units, IReadOnlyList<NodeProcess> survivors, ITestOutputHelper output)
    {
        Assert.True(units.Abandoned.IsEmpty, $"reports never acknowledged: {string.Join("; ", units.Abandoned.Take(10))}");
        var acked = units.Acknowledged.GroupBy(d => d.Sector).ToDictionary(g => g.Key, g => g.Select(d => d.ReportId).ToHashSet());
        Assert.Equal(units.Acknowledged.Count, acked.Values.Sum(s => s.Count)); // every report id acknowledged once
        var reader = survivors[0];
        using var http = reader.Client(TimeSpan.FromSeconds(30));
        foreach (var cell in units.Cells)
        {
            var history = (await ReadAsync<JsonNode>(reader, survivors, http,
                $"/api/facilities/{FieldUnits.Facility}/sectors/{cell}/history?limit=1000", output))["items"]!.AsArray();
            var sequence = history.Select(e => (long)e!["sequence"]!).ToList();
            Assert.Equal(Enumerable.Range(1, sequence.Count).Select(i => (long)i), sequence);
            var stored = history.Where(e => (string)e!["event"]! == "PersonsFound").Select(e => (string)e!["data"]!["report"]!["id"]!).ToList();
            Assert.Equal(stored.Count, stored.Distinct().Count());
            var expected = acked.GetValueOrDefault(cell, []);
            Assert.True(expected.SetEquals(stored),
                $"{cell}: acknowledged {expected.Count}, stored {stored.Count}: " +
                $"missing {string.Join(",", expected.Except(stored))}, extra {string.Join(",", stored.Except(expected))}");
            var sector = await ReadAsync<JsonNode>(reader, survivors, http, $"/api/facilities/{FieldUnits.Facility}/sectors/{cell}", output);
            Assert.Equal(expected.Count, (int)sector["personsAlive"]!);
        }
        foreach (var node in survivors)
        {
            using var view = node.Client(TimeSpan.FromSeconds(10));
            var until = DateTime.UtcNow.AddSeconds(30);
            while (true)
            {
                var sectors = (await ReadAsync<JsonArray>(node, survivors, view, $"/api/facilities/{FieldUnits.Facility}/sectors",
                    output, viewCatchingUp: true))
                    .ToDictionary(s => (string)s!["id"]!, s => (int)s!["alive"]!);
                var wrong = units.Cells.Where(c => sectors.GetValueOrDefault(c) != acked.GetValueOrDefault(c, []).Count).ToList();
                if (wrong.Count == 0) break;
                Assert.True(DateTime.UtcNow < until, $"{node.Name}'s live view disagrees on {string.Join(", ", wrong.Take(5))}");
                await Task.Delay(200);
            }
            Assert.DoesNotContain("Rejected to persist", node.Log);
        }
        output.WriteLine($"acknowledged {units.Acknowledged.Count} reports on {acked.Count} cells; " +
            $"{units.Acknowledged.Count(d => d.Attempts > 1)} needed more than one attempt (most: {units.Acknowledged.Max(d => d.Attempts)})");
    }

    /// <summary>
    /// A read that must succeed. 503 is the API's "not now, retry" (an entity still recovering after the fault,
    /// under the whole test run's load), so it is retried for a while; anything else, or 503 for too long, fails
    /// with what the node answered and what every node logged last. <paramref name="viewCatchingUp"/>: the read is
    /// of a node's live view, which a node just restarted rebuilds from the journal after it is ready, so a
    /// facility it has not reached yet is not found for a moment (readiness does not wait for the view: issue 19).
    /// </summary>
    private static async Task<T> ReadAsync<T>(NodeProcess node, IReadOnlyList<NodeProcess> all, HttpClient http, string path,
        ITestOutputHelper output, bool viewCatchingUp = false) where T : JsonNode
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            using var response = await http.GetAsync(path);
            var body = await response.Content.ReadAsStringAsync();
            if (response.IsSuccessStatusCode) return (T)JsonNode.Parse(body)!;
            var retry = (response.StatusCode == System.Net.HttpStatusCode.ServiceUnavailable
                || viewCatchingUp && response.StatusCode == System.Net.HttpStatusCode.NotFound)
                && DateTime.UtcNow < until;
            Assert.True(retry, $"{node.Name} answered GET {path} with {(int)response.StatusCode}: {body}" +
                string.Concat(all.Select(n => $"\n--- {n.Name}'s log, last lines ---\n{string.Join('\n', n.Log.Split('\n').TakeLast(80))}")));
            output.WriteLine($"{node.Name} answered GET {path} with {(int)response.StatusCode} ({body}); retrying");
            await Task.Delay(500);
        }
    }
}

using System.Diagnostics;
using System.Net.Http.Json;
using Coordinator.Cluster.Tests.Support;
using Coordinator.Faults.Tests.Support;
using Coordinator.Node.Tests.Support;

namespace Coordinator.Faults.Tests;

/// <summary>Monitors on every node of a three-node cluster see every change made through any node, in order per sector.</summary>
public sealed class LiveViewsTests(PostgresServer postgres, ITestOutputHelper output)
{
    [Fact]
    public async Task A_monitor_on_any_node_sees_every_change_from_every_node_in_order_per_sector()
    {
        await using var cluster = await ClusterUnderTest.StartAsync(postgres);
        var units = new FieldUnits(cluster, cells: 10);
        await units.SetUpAsync();
        var ct = TestContext.Current.CancellationToken;
        var monitors = new List<SseClient>();
        foreach (var node in cluster.Nodes)
            monitors.Add(await SseClient.ConnectAsync(node.BaseAddress, $"/api/stream?facility={FieldUnits.Facility}", NodeProcess.BootstrapToken));

        // Each monitor reads while the reports go in, noting when each (cell, version) arrives.
        var arrivals = monitors.Select(_ => new System.Collections.Concurrent.ConcurrentDictionary<(string Cell, long Version), long>()).ToList();
        var order = monitors.Select(_ => new System.Collections.Concurrent.ConcurrentQueue<(string Cell, long Version)>()).ToList();
        // Defined, assigned and entered are versions 1-3 of every cell; the ten reports make 4-13.
        var expected = units.Cells.SelectMany(c => Enumerable.Range(4, 10).Select(v => (Cell: c, Version: (long)v))).ToHashSet();
        var readers = monitors.Select((m, i) => m.UntilAsync(e =>
        {
            if (e.Event != "sector") return false;
            var key = ((string)e.Data!["sector"]!, (long)e.Data!["data"]!["version"]!);
            arrivals[i].TryAdd(key, Stopwatch.GetTimestamp());
            order[i].Enqueue(key);
            return expected.All(arrivals[i].ContainsKey);
        }, TimeSpan.FromSeconds(60))).ToList();

        // Ten reports per cell, each through the next node in turn; remember when each version was acknowledged.
        var acknowledged = new Dictionary<(string Cell, long Version), long>();
        var clients = cluster.Nodes.Select(n => n.Client(TimeSpan.FromSeconds(10))).ToList();
        var sent = 0;
        for (var round = 0; round < 10; round++)
            foreach (var cell in units.Cells)
            {
                var response = await clients[sent++ % clients.Count].PostAsJsonAsync("/api/reports",
                    new
                    {
                        reportId = $"r-{round}",
                        teamId = $"T-{cell}",
                        facilityId = FieldUnits.Facility,
                        sectorId = cell,
                        kind = "PersonsFound",
                        alive = 1
                    }, ct);
                response.EnsureSuccessStatusCode();
                var version = (long)(await response.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonNode>(ct))!["version"]!;
                acknowledged[(cell, version)] = Stopwatch.GetTimestamp();
            }
        await Task.WhenAll(readers);
        Assert.True(expected.SetEquals(acknowledged.Keys));

        for (var i = 0; i < monitors.Count; i++)
        {
            Assert.True(acknowledged.Keys.All(arrivals[i].ContainsKey), $"{cluster.Nodes[i].Name} missed changes");
            foreach (var cell in order[i].GroupBy(k => k.Cell))
            {
                var versions = cell.Select(k => k.Version).ToList();
                Assert.True(versions.SequenceEqual(versions.Order()) && versions.Distinct().Count() == versions.Count,
                    $"{cluster.Nodes[i].Name}, {cell.Key}: {string.Join(",", versions)}");
            }
            var lags = acknowledged.Select(a => Stopwatch.GetElapsedTime(a.Value, arrivals[i][a.Key]).TotalMilliseconds).Order().ToList();
            output.WriteLine($"{cluster.Nodes[i].Name}: all {acknowledged.Count} changes, in order per cell; acknowledgement → stream p50 " +
                $"{lags[lags.Count / 2]:0} ms, p99 {lags[(int)(lags.Count * 0.99)]:0} ms (can be < 0: the view read it before the 200 arrived)");
            await monitors[i].DisposeAsync();
        }
        foreach (var c in clients) c.Dispose();
    }
}

using System.Diagnostics;
using Coordinator.Faults.Tests.Support;

namespace Coordinator.Faults.Tests;

/// <summary>The embedded default: one node process alone, its journal in the SQLite file under its working folder.</summary>
public sealed class LoneNodeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_lone_node_stopped_under_load_exits_within_five_seconds_without_a_hand_over_timeout_and_loses_nothing()
    {
        await using var alone = await ClusterUnderTest.StartAloneAsync();
        var node = alone.Nodes[0];
        var units = new FieldUnits(alone, cells: 300);
        await units.SetUpAsync();
        var ct = TestContext.Current.CancellationToken;

        var load = units.RunAsync(units: 12, duration: TimeSpan.FromSeconds(60), patience: TimeSpan.FromSeconds(60), ct);
        await Task.Delay(TimeSpan.FromSeconds(8), ct);
        var acknowledgedBefore = units.Acknowledged.Count;
        var watch = Stopwatch.StartNew();
        await node.TerminateAsync(TimeSpan.FromSeconds(30)); // SIGTERM, as docker stop and Kubernetes do
        var exited = watch.Elapsed;
        units.StopSending(); // what is under way is resent until the node is back
        var stopLog = node.Log;
        output.WriteLine($"{acknowledgedBefore} reports acknowledged before the stop; exited {exited.TotalSeconds:0.0} s after SIGTERM");
        output.WriteLine(string.Join("\n", stopLog.Split('\n').Where(l => Milestones.Any(m => l.Contains(m, StringComparison.OrdinalIgnoreCase)))));

        node.Start();
        await node.WaitReadyAsync(TimeSpan.FromSeconds(60));
        await load;

        Assert.True(acknowledgedBefore > 0, "no load before the stop");
        Assert.True(exited < TimeSpan.FromSeconds(5), $"the node took {exited.TotalSeconds:0.0} s to exit (at most 5 s)\n{stopLog}");
        var handOverWaits = stopLog.Split('\n').Where(l => l.Contains("shutdown of shard region timed out", StringComparison.OrdinalIgnoreCase)
            || l.Contains("Requested shard homes") || l.Contains("timed out after", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.True(handOverWaits.Count == 0, string.Join("\n", handOverWaits));
        await Ledger.VerifyAsync(units, alone.Nodes, output);
    }

    /// <summary>The log lines that tell where the time between SIGTERM and exit goes.</summary>
    private static readonly string[] Milestones = ["Starting coordinated shutdown", "shutting down shards", "Marked address",
        "Exiting completed", "Remoting shut down."];
}

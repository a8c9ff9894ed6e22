using System.Diagnostics;
using Coordinator.Cluster.Tests.Support;
using Coordinator.Faults.Tests.Support;

[assembly: AssemblyFixture(typeof(PostgresServer))]
// Several clusters of processes at once would only measure the machine.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Coordinator.Faults.Tests;

/// <summary>Three node processes on one PostgreSQL, field units reporting through all of them, and a node lost.</summary>
public sealed class FailoverTests(PostgresServer postgres, ITestOutputHelper output)
{
    [Fact]
    public async Task A_node_killed_mid_load_loses_no_acknowledged_report_and_its_shards_come_back_on_the_survivors()
    {
        await using var cluster = await ClusterUnderTest.StartAsync(postgres);
        var units = new FieldUnits(cluster, cells: 30);
        await units.SetUpAsync();
        var ct = TestContext.Current.CancellationToken;

        var load = units.RunAsync(units: 12, duration: TimeSpan.FromSeconds(20), patience: TimeSpan.FromSeconds(60), ct);
        await Task.Delay(TimeSpan.FromSeconds(5), ct);
        var victim = cluster.Nodes[2];
        var killedAt = Stopwatch.StartNew();
        victim.Kill();
        var survivors = cluster.Nodes.Take(2).ToList();
        await cluster.UntilMembersAsync(survivors[0], 2, TimeSpan.FromSeconds(60));
        var downed = killedAt.Elapsed;
        var answering = downed + await units.UntilAllAnswerAsync(survivors[0], TimeSpan.FromSeconds(60));
        output.WriteLine($"killed {victim.Name}: downed and removed after {downed.TotalSeconds:0.0} s; every cell answering again after {answering.TotalSeconds:0.0} s");
        await load;

        await Ledger.VerifyAsync(units, survivors, output);
    }
}

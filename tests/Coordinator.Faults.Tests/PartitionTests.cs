using System.Diagnostics;
using Coordinator.Cluster.Tests.Support;
using Coordinator.Faults.Tests.Support;

namespace Coordinator.Faults.Tests;

/// <summary>
/// A network partition, made with Linux network namespaces: one node cut off from the other two and from the
/// database. The minority side downs itself (its process exits); the majority downs it and carries on.
/// </summary>
public sealed class PartitionTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_minority_side_downs_itself_and_the_majority_carries_on()
    {
        if (!await Network.AvailableAsync())
            Assert.Skip("network namespaces cannot be made here (needs root with CAP_NET_ADMIN)");
        await using var net = await Network.CreateAsync(3);
        var postgres = new PostgresServer { AlsoListenOn = net.Gateway, TrustNetwork = net.Subnet };
        await postgres.InitializeAsync();
        try
        {
            var connectionString = (await postgres.CreateDatabaseAsync()).Replace("Host=127.0.0.1", $"Host={net.Gateway}");
            if (!await net.ReachesAsync(1, net.Gateway, postgres.Port, TimeSpan.FromSeconds(20)))
                Assert.Skip($"this host drops traffic between a namespace and its bridge:\n{await Network.DescribeHostAsync()}");
            await using var cluster = await ClusterUnderTest.StartAsync(connectionString, 3, i => (net.Address(i), net.Namespace(i)));
            var units = new FieldUnits(cluster, cells: 15);
            await units.SetUpAsync();
            var ct = TestContext.Current.CancellationToken;
            var load = units.RunAsync(units: 6, duration: TimeSpan.FromSeconds(25), patience: TimeSpan.FromSeconds(60), ct);
            await Task.Delay(TimeSpan.FromSeconds(3), ct);

            var (minority, majority) = (cluster.Nodes[2], cluster.Nodes.Take(2).ToList());
            var cut = Stopwatch.StartNew();
            await net.Cut(3);
            await cluster.UntilMembersAsync(majority[0], 2, TimeSpan.FromSeconds(60));
            var majorityDowned = cut.Elapsed;
            Assert.True(await minority.ExitedWithinAsync(TimeSpan.FromSeconds(60)), $"the minority node is still running:\n{minority.Log}");
            var minorityStopped = cut.Elapsed;
            var answering = cut.Elapsed + await units.UntilAllAnswerAsync(majority[0], TimeSpan.FromSeconds(60));
            output.WriteLine($"cut {minority.Name} off: the majority removed it after {majorityDowned.TotalSeconds:0.0} s; it downed itself and " +
                $"exited after {minorityStopped.TotalSeconds:0.0} s; every cell answering through the majority by {answering.TotalSeconds:0.0} s " +
                $"(checked once it had exited)");
            await load;
            await Ledger.VerifyAsync(units, majority, output);

            // Healed and restarted, it joins again as a new member.
            await net.Heal(3);
            minority.Start(cluster.Seeds);
            await minority.WaitReadyAsync(TimeSpan.FromSeconds(60));
            await cluster.UntilMembersAsync(majority[0], 3, TimeSpan.FromSeconds(60));
        }
        finally
        {
            await postgres.DisposeAsync();
        }
    }
}

using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Hosting;
using Coordinator.Cluster.Hosting;
using Coordinator.Cluster.Tests.Support;
using Coordinator.Faults.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Coordinator.Faults.Tests;

/// <summary>
/// The remoting port is the way past every HTTP check, so only nodes with a certificate from the operation's
/// authority may use it: outsiders, with another authority's certificate or with none, can neither join nor
/// reach an actor, and the node logs them and keeps working. Nor can a stranger on a dead node's address stop the
/// nodes that dial it.
/// </summary>
public sealed class NodeLinkTests(PostgresServer postgres, ITestOutputHelper output)
{
    [Fact]
    public async Task Only_a_certificate_from_the_operations_authority_opens_a_link_to_a_node()
    {
        await using var cluster = await ClusterUnderTest.StartAsync(postgres, size: 1);
        var node = cluster.Nodes[0];
        using var strangers = new Certificates("stranger");
        // The stranger trusts our authority too, so only the node's own check can refuse it.
        var bundle = Path.Combine(strangers.Folder, "both.crt");
        File.WriteAllText(bundle, File.ReadAllText(strangers.AuthorityFile) + "\n" + File.ReadAllText(cluster.Certificates.AuthorityFile));
        var strangerTls = strangers.Issue("stranger-node") with { Authority = bundle };

        using var stranger = await OutsiderAsync(new ClusterSettings { Tls = strangerTls });
        using var plain = await OutsiderAsync(new ClusterSettings());
        using var member = await OutsiderAsync(new ClusterSettings { Tls = cluster.Certificates.Issue("member-node") });

        // Control: a certificate from the operation's authority does reach the node's actors, so the refusals below are the node's.
        Assert.True(await ReachesAsync(member, node.Address), "a certificate from the operation's authority should open a link");
        Assert.False(await ReachesAsync(stranger, node.Address), "another authority's certificate opened a link");
        Assert.False(await ReachesAsync(plain, node.Address.Replace("akka.ssl.tcp://", "akka.tcp://")), "a link without TLS reached an actor");

        Akka.Cluster.Cluster.Get(Of(stranger)).Join(Akka.Actor.Address.Parse(node.Address));
        Akka.Cluster.Cluster.Get(Of(plain)).Join(Akka.Actor.Address.Parse(node.Address.Replace("akka.ssl.tcp://", "akka.tcp://")));
        // Joining takes a second when it works; give the outsiders five, then the node must still be alone.
        var until = DateTime.UtcNow.AddSeconds(5);
        while (DateTime.UtcNow < until)
        {
            await cluster.UntilMembersAsync(node, 1, TimeSpan.FromSeconds(5));
            Assert.Empty(Akka.Cluster.Cluster.Get(Of(stranger)).State.Members);
            Assert.Empty(Akka.Cluster.Cluster.Get(Of(plain)).State.Members);
            await Task.Delay(250, TestContext.Current.CancellationToken);
        }

        Assert.Contains("Refused a node link", node.Log);
        Assert.True(await CountedRefusalsAsync(node, "inbound", "certificate") >= 1, "the stranger's refusal is not counted on /metrics");
        output.WriteLine(string.Join("\n", node.Log.Split('\n')
            .Where(l => l.Contains("Refused") || l.Contains("handshake", StringComparison.OrdinalIgnoreCase)).Take(6)));
        await node.WaitReadyAsync(TimeSpan.FromSeconds(10));
    }

    public enum Impostor { ForeignAuthority, Garbage }

    [Theory]
    [InlineData(Impostor.ForeignAuthority, "certificate")]
    [InlineData(Impostor.Garbage, "handshake")]
    public async Task A_stranger_on_a_dead_nodes_address_stops_none_of_the_nodes_that_dial_it(Impostor kind, string reason)
    {
        // The dead node stays a member (unreachable) for 15 s instead of 5, so the survivors dial its address again
        // and again (every 5 s, when Akka's gate opens) before they down it.
        await using var cluster = await ClusterUnderTest.StartAsync(postgres, 3, "--Coordinator:Cluster:StableAfter=00:00:15");
        var units = new FieldUnits(cluster, cells: 12);
        await units.SetUpAsync();
        var ct = TestContext.Current.CancellationToken;
        using var strangers = new Certificates("stranger");
        using var strangerCertificate = Certificates.Load(strangers.Issue("node3"));

        var load = units.RunAsync(units: 6, duration: TimeSpan.FromSeconds(25), patience: TimeSpan.FromSeconds(40), ct);
        await Task.Delay(TimeSpan.FromSeconds(3), ct);
        var (dead, survivors) = (cluster.Nodes[2], cluster.Nodes.Take(2).ToList());
        dead.Kill();
        await dead.ExitedWithinAsync(TimeSpan.FromSeconds(10));
        using var stranger = kind == Impostor.ForeignAuthority
            ? Stranger.Tls(dead.AkkaPort, strangerCertificate)
            : Stranger.Garbage(dead.AkkaPort);
        var arrived = DateTime.UtcNow;

        // Each survivor dials the dead node's address until it downs it: each must refuse the stranger every time.
        var refusal = $"Refused a node link with {dead.Address}: ";
        int Refusals(NodeProcess node) => node.Log.Split('\n').Count(l => l.Contains("[NodeLinks") && l.Contains(refusal));
        var until = DateTime.UtcNow.AddSeconds(40);
        while (!survivors.All(n => Refusals(n) >= 2) && DateTime.UtcNow < until) await Task.Delay(200, ct);
        await load;

        output.WriteLine($"the stranger took {stranger.Connections} connections; " +
            string.Join("; ", survivors.Select(n => $"{n.Name} refused it {Refusals(n)} times")));
        output.WriteLine(string.Join("\n", cluster.Logs.Split('\n').Where(l => l.Contains("[NodeLinks")).Take(4)));
        Assert.True(stranger.Connections > 0, "no node dialled the stranger");
        foreach (var node in survivors)
        {
            Assert.True(node.Running, $"{node.Name} stopped:\n{node.Log}");
            Assert.DoesNotContain("TlsHandshakeFailureReason", node.Log);
            Assert.True(Refusals(node) >= 2, $"{node.Name} refused the stranger {Refusals(node)} times, not again and again");
            await node.WaitReadyAsync(TimeSpan.FromSeconds(10));
            var counted = await CountedRefusalsAsync(node, "outbound", reason);
            Assert.True(counted >= 2, $"{node.Name} counted {counted} outbound {reason} refusals on /metrics");
        }
        // Reports kept being acknowledged all along, in every five seconds from the stranger's arrival to the end of the load.
        var acknowledged = units.Answers.Where(a => a.Status == 200 && a.At > arrived)
            .Select(a => (int)((a.At - arrived).TotalSeconds / 5)).ToHashSet();
        Assert.True(Enumerable.Range(0, 4).All(acknowledged.Contains),
            $"five-second spans with an acknowledgement: {string.Join(",", acknowledged.Order())}");
        await Ledger.VerifyAsync(units, survivors, output);
    }

    /// <summary>The node's <c>coordinator_node_link_refusals_total</c> for this direction and reason, as a scraper reads it.</summary>
    private static async Task<double> CountedRefusalsAsync(NodeProcess node, string direction, string reason)
    {
        using var scraper = new HttpClient { BaseAddress = node.BaseAddress };
        var metrics = await scraper.GetStringAsync("/metrics", TestContext.Current.CancellationToken);
        return metrics.Split('\n')
            .Where(l => l.StartsWith("coordinator_node_link_refusals_total{", StringComparison.Ordinal)
                && l.Contains($"direction=\"{direction}\"") && l.Contains($"reason=\"{reason}\""))
            .Sum(l => double.Parse(l[(l.IndexOf('}') + 1)..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>An actor system of the test's own, wired as a node wires its links and cluster, but with the given settings.</summary>
    private static async Task<IHost> OutsiderAsync(ClusterSettings settings)
    {
        var host = new HostBuilder()
            .ConfigureServices(s => s.AddAkka(CoordinatorHosting.SystemName, b => b.WithNodeLinks(settings).WithClustering()))
            .Build();
        await host.StartAsync(TestContext.Current.CancellationToken);
        return host;
    }

    private static ActorSystem Of(IHost host) => host.Services.GetRequiredService<ActorSystem>();

    /// <summary>Whether the node's token region answers an Identify sent over a link from this system.</summary>
    private static async Task<bool> ReachesAsync(IHost from, string nodeAddress)
    {
        try
        {
            var identity = await Of(from).ActorSelection($"{nodeAddress}/system/sharding/token")
                .Ask<ActorIdentity>(new Identify(1), TimeSpan.FromSeconds(5));
            return identity.Subject is not null;
        }
        catch (AskTimeoutException) { return false; }
    }
}

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
/// reach an actor, and the node logs them and keeps working.
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
        output.WriteLine(string.Join("\n", node.Log.Split('\n')
            .Where(l => l.Contains("Refused") || l.Contains("handshake", StringComparison.OrdinalIgnoreCase)).Take(6)));
        await node.WaitReadyAsync(TimeSpan.FromSeconds(10));
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

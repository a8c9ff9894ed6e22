using Coordinator.Cluster.Hosting;
using Coordinator.Faults.Tests.Support;

namespace Coordinator.Node.Tests;

/// <summary>A node that could be reached by others refuses to start without mutual TLS, or with a certificate no other node would accept.</summary>
public class NodeLinkSettingsTests
{
    private static async Task<string> RefusalAsync(params string[] settings)
    {
        var folder = Directory.CreateTempSubdirectory("coord-links-").FullName;
        try
        {
            await using var app = NodeApp.Build([$"--Coordinator:Auth:DataFolder={folder}",
                $"--Coordinator:Persistence:ConnectionString=Data Source={Path.Combine(folder, "c.db")}", .. settings]);
            var refused = await Assert.ThrowsAnyAsync<InvalidOperationException>(() => app.StartAsync(TestContext.Current.CancellationToken));
            return refused.Message;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("--Coordinator:Cluster:Seeds=akka.tcp://coordinator@10.0.0.5:4053")]
    [InlineData("--Coordinator:Cluster:Hostname=0.0.0.0")]
    public async Task A_node_others_can_reach_does_not_start_without_TLS(string reachable)
    {
        var message = await RefusalAsync(reachable);
        Assert.Contains("Coordinator:Cluster:Tls:Certificate", message);
        Assert.Contains("mutual TLS", message);
    }

    [Fact]
    public async Task A_certificate_from_another_authority_expired_or_without_one_is_refused_at_start()
    {
        using var ours = new Certificates();
        using var theirs = new Certificates("stranger");
        var foreign = theirs.Issue("node1") with { Authority = ours.AuthorityFile };
        Assert.Contains("does not chain to Coordinator:Cluster:Tls:Authority",
            await RefusalAsync(["--Coordinator:Cluster:Hostname=0.0.0.0", .. Certificates.Arguments(foreign)]));

        var expired = ours.Issue("node1", notAfter: DateTimeOffset.UtcNow.AddMinutes(-1));
        Assert.Contains("does not chain to Coordinator:Cluster:Tls:Authority",
            await RefusalAsync(["--Coordinator:Cluster:Hostname=0.0.0.0", .. Certificates.Arguments(expired)]));

        var noAuthority = ours.Issue("node2") with { Authority = null };
        Assert.Contains("Coordinator:Cluster:Tls:Authority is required",
            await RefusalAsync(["--Coordinator:Cluster:Hostname=0.0.0.0", .. Certificates.Arguments(noAuthority)]));

        var noKey = ours.Issue("node3") with { PrivateKey = Path.Combine(ours.Folder, "missing.key") };
        Assert.Contains("cannot load", await RefusalAsync(["--Coordinator:Cluster:Hostname=0.0.0.0", .. Certificates.Arguments(noKey)]));
    }

    [Fact]
    public void Seeds_are_read_on_the_protocol_the_node_speaks()
    {
        var seeds = new[] { "akka.tcp://coordinator@a:4053", "akka.ssl.tcp://coordinator@b:4053" };
        Assert.Equal(["akka.ssl.tcp://coordinator@a:4053", "akka.ssl.tcp://coordinator@b:4053"],
            NodeLinks.SeedsFor(new ClusterSettings { Seeds = seeds, Tls = new NodeTlsSettings { Certificate = "node.crt" } }));
        Assert.Equal(["akka.tcp://coordinator@a:4053", "akka.tcp://coordinator@b:4053"], NodeLinks.SeedsFor(new ClusterSettings { Seeds = seeds }));
    }

    [Theory]
    [InlineData("127.0.0.1", false, false)]
    [InlineData("localhost", false, false)]
    [InlineData("::1", false, false)]
    [InlineData("127.0.0.1", true, true)]
    [InlineData("0.0.0.0", false, true)]
    [InlineData("10.0.0.5", false, true)]
    [InlineData("node1", false, true)]
    public void Only_a_node_alone_on_loopback_may_link_without_TLS(string hostname, bool hasSeeds, bool needsTls) =>
        Assert.Equal(needsTls, NodeLinks.NeedsTls(new ClusterSettings
        {
            Hostname = hostname,
            Seeds = hasSeeds ? ["akka.tcp://coordinator@127.0.0.1:1"] : []
        }));
}

using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Coordinator.Cluster.Hosting;
using Coordinator.Faults.Tests.Support;

namespace Coordinator.Node.Tests;

/// <summary>
/// The handshake a node makes with a peer before Akka dials it, against real listeners on loopback: only a node of
/// the operation passes; everything else is refused with its reason, where Akka's own dial would have stopped the node.
/// </summary>
public class NodeLinkProbeTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(2);

    public enum Peer { Node, ForeignAuthority, Expired, Garbage, Silent }

    [Theory]
    [InlineData(Peer.Node, null, null)]
    [InlineData(Peer.ForeignAuthority, LinkRefusal.Certificate, "CN=node2")]
    [InlineData(Peer.Expired, LinkRefusal.Certificate, "CN=node2")]
    [InlineData(Peer.Garbage, LinkRefusal.Handshake, "no TLS handshake")]
    [InlineData(Peer.Silent, LinkRefusal.Timeout, "within 2 s")]
    public async Task Only_a_node_of_the_operation_passes_and_every_other_peer_is_refused_with_its_reason(Peer kind, LinkRefusal? reason,
        string? detail)
    {
        using var ours = new Certificates();
        using var theirs = new Certificates("stranger");
        using var peerCertificate = Certificates.Load(kind switch
        {
            Peer.ForeignAuthority => theirs.Issue("node2"),
            Peer.Expired => ours.Issue("node2", notAfter: DateTimeOffset.UtcNow.AddMinutes(-1)),
            _ => ours.Issue("node2"),
        });
        using var peer = kind switch
        {
            Peer.Garbage => Stranger.Garbage(0),
            Peer.Silent => Stranger.Silent(0),
            _ => Stranger.Tls(0, peerCertificate, client => Chains(client, ours.AuthorityFile)),
        };

        var refused = await ProbeAsync(ours, peer.Port);

        Assert.Equal(1, peer.Connections);
        Assert.Equal(reason, refused?.Reason);
        if (detail is not null) Assert.Contains(detail, refused!.Detail);
    }

    [Fact]
    public async Task A_port_where_nothing_listens_is_left_to_Akkas_own_dial()
    {
        using var ours = new Certificates();
        var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        Assert.Null(await ProbeAsync(ours, port));
    }

    private static async Task<LinkRefused?> ProbeAsync(Certificates ours, int port)
    {
        var tls = ours.Issue("node1");
        using var certificate = Certificates.Load(tls);
        return await new NodeLinkProbe(certificate, NodeLinks.LoadAuthorities(tls), Patience).RefusalAsync("127.0.0.1", port);
    }

    private static bool Chains(X509Certificate? client, string authorityFile)
    {
        var authorities = new X509Certificate2Collection();
        authorities.ImportFromPemFile(authorityFile);
        return NodeLinks.Refusal(client as X509Certificate2, authorities) is null;
    }
}

using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using Akka.Event;
using Akka.Remote.Transport;

namespace Coordinator.Cluster.Hosting;

/// <summary>Why a peer's end of a node link was refused: the reason tag of <c>coordinator_node_link_refusals_total</c>.</summary>
public enum LinkRefusal
{
    /// <summary>It presented no certificate, or one that does not chain to the operation's authority (foreign, expired).</summary>
    Certificate,
    /// <summary>It does not speak TLS as a node does: plain traffic, another protocol, or it refused this node's certificate.</summary>
    Handshake,
    /// <summary>It accepted the connection but finished no handshake in time.</summary>
    Timeout,
}

public sealed record LinkRefused(LinkRefusal Reason, string Detail)
{
    public string Tag => Reason.ToString().ToLowerInvariant();
}

/// <summary>
/// A TLS handshake with a peer before Akka dials it. Akka.Remote 1.5.73 runs CoordinatedShutdown (exit code 79,
/// TlsHandshakeFailureReason) when its own outbound handshake fails (TcpHandlers.UserEventTriggered, for the
/// client side only: akka.net #7839, #7939), with no setting to turn it off and no way to veto the shutdown once
/// it runs. So whatever took a peer's address — a stranger, a node of another authority, a stale address
/// reused — would stop every node that dials it. The probe makes the same handshake first (this node's
/// certificate, TLS 1.2 as Akka's client speaks it, our check of the peer's chain), and a peer it fails is
/// refused without Akka ever dialling it: no link, nothing sent, the node carries on.
/// </summary>
public sealed class NodeLinkProbe(X509Certificate2 certificate, X509Certificate2Collection authorities, TimeSpan patience) : Setup
{
    /// <summary>How long a peer has to finish the handshake: a listener that never does is refused, not waited on.</summary>
    public static readonly TimeSpan DefaultPatience = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Null when the peer completes the handshake (or nothing answers at all: Akka's own dial then fails as it
    /// always did, which stops no node); otherwise why it is refused.
    /// </summary>
    public async Task<LinkRefused?> RefusalAsync(string host, int port)
    {
        using var timeout = new CancellationTokenSource(patience);
        using var tcp = new TcpClient();
        try { await tcp.ConnectAsync(host, port, timeout.Token); }
        catch (Exception e) when (e is SocketException or OperationCanceledException) { return null; }

        string? certificateRefused = null;
        await using var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false,
            (_, peer, _, _) => (certificateRefused = NodeLinks.Refusal(peer as X509Certificate2, authorities)) is null);
        try
        {
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = host,
                // What Akka's client offers (DotNetty: up to TLS 1.2), so the probe fails where Akka's handshake would.
                EnabledSslProtocols = SslProtocols.Tls12,
                LocalCertificateSelectionCallback = (_, _, _, _, _) => certificate,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            }, timeout.Token);
            return null;
        }
        catch (OperationCanceledException)
        {
            return new LinkRefused(LinkRefusal.Timeout, $"no TLS handshake within {patience.TotalSeconds:0.#} s");
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            return certificateRefused is not null
                ? new LinkRefused(LinkRefusal.Certificate, certificateRefused)
                : new LinkRefused(LinkRefusal.Handshake, $"no TLS handshake as a node makes it ({Innermost(e).Message.Trim()})");
        }
    }

    private static Exception Innermost(Exception e) => e.InnerException is { } inner ? Innermost(inner) : e;
}

/// <summary>
/// Akka's TLS transport (the DotNetty TcpTransport it would have made from the same settings) with
/// <see cref="NodeLinkProbe"/> in front of every outbound link; named by <c>akka.remote.dot-netty.tcp.transport-class</c>.
/// It keeps that transport's scheme, so addresses stay <c>akka.ssl.tcp://</c>. A refused peer fails the
/// association as an unreachable one does: Akka gates the address and tries again later.
/// </summary>
public sealed class ProbingTransport : Transport
{
    /// <summary>Akka's own transport class (internal to Akka.Remote), made as Akka makes it: by name, with the system and settings.</summary>
    private const string AkkaTransport = "Akka.Remote.Transport.DotNetty.TcpTransport, Akka.Remote";

    private readonly Transport _transport;
    private readonly NodeLinkProbe _probe;
    private readonly ILoggingAdapter _log;

    public ProbingTransport(ActorSystem system, Config config)
    {
        _transport = (Transport)Activator.CreateInstance(Type.GetType(AkkaTransport, throwOnError: true)!, system, config)!;
        _probe = system.Settings.Setup.Get<NodeLinkProbe>() is { HasValue: true } probe ? probe.Value
            : throw new InvalidOperationException("ProbingTransport needs a NodeLinkProbe in the actor system's setup");
        _log = Logging.GetLogger(system, typeof(NodeLinks));
        System = system;
        Config = config;
    }

    public override string SchemeIdentifier => _transport.SchemeIdentifier;

    public override long MaximumPayloadBytes => _transport.MaximumPayloadBytes;

    public override Task<(Address, TaskCompletionSource<IAssociationEventListener>)> Listen() => _transport.Listen();

    public override bool IsResponsibleFor(Address remote) => _transport.IsResponsibleFor(remote);

    public override async Task<AssociationHandle> Associate(Address remoteAddress)
    {
        if (remoteAddress is { Host: { } host, Port: { } port } && await _probe.RefusalAsync(host, port) is { } refused)
        {
            var peer = remoteAddress.WithProtocol($"akka.{remoteAddress.Protocol}");
            _log.Warning("Refused a node link with {0}: {1}; not linked, this node carries on", peer, refused.Detail);
            NodeLinks.CountRefusal("outbound", refused.Tag);
            throw new InvalidAssociationException($"Refused a node link with {peer}: {refused.Detail}");
        }
        return await _transport.Associate(remoteAddress);
    }

    public override Task<bool> Shutdown() => _transport.Shutdown();

    public override Task<bool> ManagementCommand(object message) => _transport.ManagementCommand(message);
}

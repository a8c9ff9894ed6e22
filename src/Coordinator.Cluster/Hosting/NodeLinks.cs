using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Akka.Event;
using Akka.Hosting;
using Akka.Remote.Hosting;

namespace Coordinator.Cluster.Hosting;

/// <summary>
/// The links between nodes (Akka remoting). Anything that reaches a node's remoting port could join the cluster
/// or message its entities past every HTTP check, so a node that has seeds or listens beyond loopback speaks
/// only mutual TLS: it presents its certificate and accepts a peer only if the peer's certificate chains to the
/// operation's certificate authority.
/// </summary>
public static class NodeLinks
{
    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1"), ClientAuth = new("1.3.6.1.5.5.7.3.2");

    public static AkkaConfigurationBuilder WithNodeLinks(this AkkaConfigurationBuilder builder, ClusterSettings settings)
    {
        var options = new RemoteOptions { HostName = settings.Hostname, Port = settings.Port, PublicHostName = settings.PublicHostname };
        if (settings.Tls.Enabled)
        {
            var authorities = LoadAuthorities(settings.Tls);
            var certificate = LoadCertificate(settings.Tls, authorities);
            options.EnableSsl = true;
            options.Ssl = new SslOptions
            {
                X509Certificate = certificate,
                RequireMutualAuthentication = true,
                // Nodes are reached by IP, pod name or service name: the chain to our authority is the identity.
                ValidateCertificateHostname = false,
                CustomValidator = (peerCertificate, _, peer, _, log) => Accepts(peerCertificate, authorities, peer, log),
            };
            // Every outbound link is probed first: a peer that fails the handshake is refused, not dialled by Akka,
            // whose failed outbound handshake would stop this node (NodeLinkProbe says why).
            var transport = $"{typeof(ProbingTransport).FullName}, {typeof(ProbingTransport).Assembly.GetName().Name}";
            builder
                .AddSetup(new NodeLinkProbe(certificate, authorities, NodeLinkProbe.DefaultPatience))
                .AddHocon($"akka.remote.dot-netty.tcp.transport-class = \"{transport}\"", HoconAddMode.Prepend);
        }
        else if (NeedsTls(settings))
            throw new InvalidOperationException(
                "Coordinator:Cluster:Tls: a node with seeds or listening beyond loopback links to other nodes only over mutual TLS; " +
                "set Coordinator:Cluster:Tls:Certificate (with PrivateKey or Password) and Coordinator:Cluster:Tls:Authority (docs/security.md)");
        return builder.WithRemoting(options);
    }

    /// <summary>
    /// Seeds on the protocol this node speaks (akka.ssl.tcp with TLS, akka.tcp without): a seed written with the
    /// other scheme names the same node, and left as written it would fail on every try with "no transport".
    /// </summary>
    public static string[] SeedsFor(ClusterSettings settings)
    {
        var (speaks, other) = settings.Tls.Enabled ? ("akka.ssl.tcp://", "akka.tcp://") : ("akka.tcp://", "akka.ssl.tcp://");
        return [.. settings.Seeds.Select(seed => seed.StartsWith(other, StringComparison.Ordinal) ? speaks + seed[other.Length..] : seed)];
    }

    /// <summary>A node alone on loopback has no links anyone else can reach.</summary>
    public static bool NeedsTls(ClusterSettings settings) =>
        settings.Seeds.Length > 0
            || !(settings.Hostname == "localhost" || IPAddress.TryParse(settings.Hostname, out var ip) && IPAddress.IsLoopback(ip));

    /// <summary>
    /// Akka's check of a peer, for both directions of a link (an outbound one was probed already). Akka names an
    /// outbound peer by its node address and an inbound one by its socket's.
    /// </summary>
    public static bool Accepts(X509Certificate2? certificate, X509Certificate2Collection authorities, string peer, ILoggingAdapter? log)
    {
        if (Refusal(certificate, authorities) is not { } refused) return true;
        log?.Warning("Refused a node link with {0}: {1}", peer, refused);
        CountRefusal(peer.StartsWith("akka.", StringComparison.Ordinal) ? "outbound" : "inbound", "certificate");
        return false;
    }

    /// <summary>Null when the certificate chains to one of the authorities; otherwise why not.</summary>
    public static string? Refusal(X509Certificate2? certificate, X509Certificate2Collection authorities)
    {
        if (certificate is null) return "it presented no certificate";
        using var chain = ChainTo(authorities);
        if (chain.Build(certificate)) return null;
        return $"its certificate {certificate.Subject} is not one of the operation's (" +
            string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct()) + ")";
    }

    public static void CountRefusal(string direction, string reason) => Telemetry.NodeLinkRefusals.Add(1,
        new KeyValuePair<string, object?>("direction", direction), new KeyValuePair<string, object?>("reason", reason));

    private static X509Chain ChainTo(X509Certificate2Collection authorities)
    {
        var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        // Node certificates are short-lived and rotated by replacing them; there is no revocation service underground.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        // Every node both listens and connects.
        chain.ChainPolicy.ApplicationPolicy.Add(ServerAuth);
        chain.ChainPolicy.ApplicationPolicy.Add(ClientAuth);
        return chain;
    }

    /// <summary>The authority file may hold several CA certificates: the old and the new one while a CA is rotated.</summary>
    public static X509Certificate2Collection LoadAuthorities(NodeTlsSettings tls)
    {
        if (string.IsNullOrWhiteSpace(tls.Authority))
            throw new InvalidOperationException(
                "Coordinator:Cluster:Tls:Authority is required with a certificate: the PEM file of the operation's certificate authority");
        var authorities = new X509Certificate2Collection();
        try { authorities.ImportFromPemFile(tls.Authority); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new InvalidOperationException($"Coordinator:Cluster:Tls:Authority: cannot read {tls.Authority}: {e.Message}", e);
        }
        return authorities.Count > 0 ? authorities
            : throw new InvalidOperationException($"Coordinator:Cluster:Tls:Authority: {tls.Authority} holds no PEM certificate");
    }

    /// <summary>The node's certificate with its private key, refused at start if our own authority would refuse it.</summary>
    public static X509Certificate2 LoadCertificate(NodeTlsSettings tls, X509Certificate2Collection authorities)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = Path.GetExtension(tls.Certificate!).ToLowerInvariant() is ".pfx" or ".p12"
                ? X509CertificateLoader.LoadPkcs12FromFile(tls.Certificate!, tls.Password)
                : Exportable(string.IsNullOrEmpty(tls.Password)
                    ? X509Certificate2.CreateFromPemFile(tls.Certificate!, tls.PrivateKey)
                    : X509Certificate2.CreateFromEncryptedPemFile(tls.Certificate!, tls.Password, tls.PrivateKey));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            throw new InvalidOperationException(
                $"Coordinator:Cluster:Tls:Certificate: cannot load {tls.Certificate} with its private key: {e.Message}", e);
        }
        if (!certificate.HasPrivateKey)
            throw new InvalidOperationException(
                $"Coordinator:Cluster:Tls:Certificate: {tls.Certificate} has no private key (set Coordinator:Cluster:Tls:PrivateKey)");
        if (Refusal(certificate, authorities) is not null)
            throw new InvalidOperationException(
                $"Coordinator:Cluster:Tls:Certificate: {certificate.Subject} does not chain to Coordinator:Cluster:Tls:Authority " +
                "with both serverAuth and clientAuth usage, so no other node would accept it");
        return certificate;
    }

    /// <summary>A key read from PEM is ephemeral; TLS on some platforms needs it in a key store, as PKCS#12 gives it.</summary>
    private static X509Certificate2 Exportable(X509Certificate2 pem)
    {
        using (pem) return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }
}

using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Coordinator.Cluster.Hosting;

namespace Coordinator.Faults.Tests.Support;

/// <summary>
/// A throwaway certificate authority for one test, as an operation would run its own: it issues node
/// certificates (serverAuth and clientAuth) as PEM files in a folder of its own.
/// </summary>
public sealed class Certificates : IDisposable
{
    private readonly X509Certificate2 _authority;
    public string Folder { get; } = Directory.CreateTempSubdirectory("coord-tls-").FullName;
    public string AuthorityFile => Path.Combine(Folder, $"{_name}-ca.crt");
    private readonly string _name;

    public Certificates(string name = "operation")
    {
        _name = name;
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN=Coordinator {name} CA", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        _authority = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllText(AuthorityFile, _authority.ExportCertificatePem());
    }

    /// <summary>A node certificate signed by this authority (valid 12 hours unless <paramref name="notAfter"/>); its settings for the node.</summary>
    public NodeTlsSettings Issue(string node, DateTimeOffset? notAfter = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={node}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new("1.3.6.1.5.5.7.3.1"), new("1.3.6.1.5.5.7.3.2")], false));
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(node);
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.Create(_authority, DateTimeOffset.UtcNow.AddMinutes(-5), notAfter ?? DateTimeOffset.UtcNow.AddHours(12),
            RandomNumberGenerator.GetBytes(16));
        var (crt, pem) = (Path.Combine(Folder, $"{node}.crt"), Path.Combine(Folder, $"{node}.key"));
        File.WriteAllText(crt, certificate.ExportCertificatePem());
        File.WriteAllText(pem, key.ExportPkcs8PrivateKeyPem());
        return new NodeTlsSettings { Certificate = crt, PrivateKey = pem, Authority = AuthorityFile };
    }

    /// <summary>The node's TLS settings as command-line arguments.</summary>
    public static string[] Arguments(NodeTlsSettings tls) =>
    [
        $"--Coordinator:Cluster:Tls:Certificate={tls.Certificate}", $"--Coordinator:Cluster:Tls:PrivateKey={tls.PrivateKey}",
        $"--Coordinator:Cluster:Tls:Authority={tls.Authority}",
    ];

    /// <summary>The certificate of <see cref="Issue"/>'s settings with its key, as a TLS server presents it.</summary>
    public static X509Certificate2 Load(NodeTlsSettings tls)
    {
        using var pem = X509Certificate2.CreateFromPemFile(tls.Certificate!, tls.PrivateKey);
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }

    public void Dispose()
    {
        _authority.Dispose();
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }
}

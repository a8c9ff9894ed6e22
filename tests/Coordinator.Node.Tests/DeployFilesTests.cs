using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Reflection;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Coordinator.Cluster.Hosting;
using Coordinator.Node.Tests.Support;
using Microsoft.Extensions.Configuration;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace Coordinator.Node.Tests;

/// <summary>
/// Docker and Kubernetes do not run here, so the deploy files are read as data and checked against what the
/// node reads: every environment variable is a real setting, ports agree from image to probe to seed, every
/// probe path answers on a real node, and the hardening holds (loopback-only compose ports, no default
/// passwords, mutual TLS between nodes, a locked-down pod, remoting closed to all but the nodes).
/// </summary>
public class DeployFilesTests
{
    private static readonly string Root = Support.Pages.RepositoryRoot;
    private const int HttpPort = 8080, RemotingPort = 4053;

    /// <summary>The image's <c>app</c> user (the ASP.NET images' APP_UID), which the pod runs as.</summary>
    private const long AppUid = 1654;

    private const string ServerAuth = "1.3.6.1.5.5.7.3.1", ClientAuth = "1.3.6.1.5.5.7.3.2";


    /// <summary>Every key the node binds, as configuration paths (Coordinator:Cluster:Seeds…).</summary>
    private static readonly HashSet<string> Known = NodeSettings.Sections
        .SelectMany(s => Paths(s.Section, s.Shape))
        .Append(NodeSettings.LoggingFormat)
        .ToHashSet(StringComparer.OrdinalIgnoreCase);

    private static IEnumerable<string> Paths(string prefix, Type shape) =>
        shape.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).SelectMany(p =>
            p.PropertyType.IsClass && p.PropertyType != typeof(string) && !p.PropertyType.IsArray
                ? Paths($"{prefix}:{p.Name}", p.PropertyType)
                : [$"{prefix}:{p.Name}"]);

    /// <summary>Variables a deploy file may set that are not the node's own settings.</summary>
    private static readonly HashSet<string> Platform = ["ASPNETCORE_URLS", "POD_NAME", "POD_NAMESPACE"];

    private static List<object> Documents(string relative)
    {
        var text = File.ReadAllText(Path.Combine(Root, relative));
        var parser = new MergingParser(new Parser(new StringReader(text)));
        var deserializer = new DeserializerBuilder().Build();
        var documents = new List<object>();
        parser.Consume<StreamStart>();
        while (parser.Accept<DocumentStart>(out _)) documents.Add(deserializer.Deserialize(parser)!);
        return documents;
    }

    private static object? At(object? node, params object[] path) => path.Aggregate(node, (n, key) => n switch
    {
        Dictionary<object, object> map when key is string k => map.GetValueOrDefault(k),
        List<object> list when key is int i => i < list.Count ? list[i] : null,
        _ => null,
    });

    private static IReadOnlyDictionary<string, string> Bind(IEnumerable<KeyValuePair<string, string>> env) =>
        env.Where(e => e.Key.StartsWith("Coordinator__", StringComparison.Ordinal))
            .ToDictionary(e => e.Key.Replace("__", ":"), e => e.Value);

    private static void AssertKnown(IEnumerable<string> names, string file)
    {
        foreach (var name in names)
            Assert.True(Platform.Contains(name) || Known.Contains(name.Replace("__", ":")), $"{file}: {name} is not a setting the node reads");
    }

    private static CoordinatorSettings Settings(IReadOnlyDictionary<string, string> configuration)
    {
        var built = new ConfigurationBuilder().AddInMemoryCollection(configuration!).Build();
        var settings = NodeSettings.Read<CoordinatorSettings>(built);
        // As NodeApp does: seeds may be one comma-separated value.
        return built["Coordinator:Cluster:Seeds"] is { } seeds
            ? settings with { Cluster = settings.Cluster with { Seeds = seeds.Split(',') } }
            : settings;
    }

    /// <summary>A compose value as compose fills it in with nothing set: <c>${X:-d}</c> is d; <c>${X:?…}</c> stops.</summary>
    private static string ComposeDefaults(string value) => Regex.Replace(value, @"\$\{(\w+)(?:(:?[-?])([^}]*))?\}", m =>
        m.Groups[2].Value switch
        {
            ":-" or "-" => m.Groups[3].Value,
            ":?" or "?" => throw new InvalidOperationException($"{m.Groups[1].Value} must be set: {m.Groups[3].Value}"),
            _ => "",
        });

    private static bool Required(string value, string variable) => Regex.IsMatch(value, $@"\$\{{{variable}:\?[^}}]+\}}");

    [Fact]
    public void The_compose_file_sets_only_real_settings_and_its_ports_seeds_and_health_checks_agree()
    {
        var compose = Documents("deploy/compose/compose.yaml").Single();
        var services = (Dictionary<object, object>)At(compose, "services")!;
        var nodes = services.Where(s => s.Key is string name && name.StartsWith("node")).ToList();
        Assert.Equal(3, nodes.Count);
        foreach (var (key, service) in nodes)
        {
            var name = (string)key;
            var env = ((Dictionary<object, object>)At(service, "environment")!).ToDictionary(e => (string)e.Key, e => e.Value.ToString()!);
            AssertKnown(env.Keys, $"compose {name}");
            Assert.Equal($"http://0.0.0.0:{HttpPort}", env["ASPNETCORE_URLS"]);
            var settings = Settings(Bind(env));
            Assert.Equal((PersistenceProvider.Postgres, RemotingPort, name),
                (settings.Persistence.Provider, settings.Cluster.Port, settings.Cluster.PublicHostname));
            Assert.Equal(nodes.Select(n => $"akka.ssl.tcp://coordinator@{n.Key}:{RemotingPort}"), settings.Cluster.Seeds);
            Assert.Contains(((List<object>)At(service, "ports")!).Cast<string>(), p => p.EndsWith($":{HttpPort}"));
            Assert.Contains("/healthz/ready", string.Join(' ', ((List<object>)At(service, "healthcheck", "test")!).Cast<string>()));
            Assert.Contains("postgres", ((Dictionary<object, object>)At(service, "depends_on")!).Keys.Cast<string>());
        }
    }

    [Fact]
    public void Compose_publishes_HTTP_on_loopback_only_has_no_default_secrets_and_links_the_nodes_with_mutual_TLS()
    {
        var text = File.ReadAllText(Path.Combine(Root, "deploy/compose/compose.yaml"));
        var compose = Documents("deploy/compose/compose.yaml").Single();
        var services = (Dictionary<object, object>)At(compose, "services")!;

        // PostgreSQL's password has no default, here or in the nodes' connection string.
        var postgresEnv = (Dictionary<object, object>)At(services["postgres"], "environment")!;
        Assert.True(Required((string)postgresEnv["POSTGRES_PASSWORD"], "COORD_DB_PASSWORD"), "POSTGRES_PASSWORD must be ${COORD_DB_PASSWORD:?…}");
        Assert.Null(At(services["postgres"], "ports")); // nor is PostgreSQL published
        Assert.DoesNotMatch(@"\$\{COORD_DB_PASSWORD:?-", text);

        foreach (var (key, service) in services.Where(s => ((string)s.Key).StartsWith("node")))
        {
            var name = (string)key;
            var env = ((Dictionary<object, object>)At(service, "environment")!).ToDictionary(e => (string)e.Key, e => e.Value.ToString()!);
            Assert.True(Required(env["Coordinator__Persistence__ConnectionString"], "COORD_DB_PASSWORD"),
                $"{name}: the connection string's password must be ${{COORD_DB_PASSWORD:?…}}");
            Assert.True(Required(env["Coordinator__Auth__SigningKey"], "COORD_SIGNING_KEY"), name);
            Assert.True(Required(env["Coordinator__Auth__BootstrapToken"], "COORD_BOOTSTRAP_TOKEN"), name);

            // HTTP on 127.0.0.1 unless told otherwise; remoting not published at all.
            var ports = ((List<object>)At(service, "ports")!).Cast<string>().Select(ComposeDefaults).ToList();
            Assert.All(ports, p => Assert.StartsWith("127.0.0.1:", p));
            Assert.DoesNotContain(ports, p => p.EndsWith($":{RemotingPort}"));

            // Mutual TLS: the certificate folder mounted read-only, the node's own certificate and key and the CA in it.
            var mounts = ((List<object>)At(service, "volumes")!).Cast<string>().Select(v => ComposeDefaults(v).Split(':')).ToList();
            var tls = Assert.Single(mounts, m => m.Length == 3 && m[1] == "/etc/coordinator/tls");
            Assert.Equal("ro", tls[2]);
            var settings = Settings(Bind(env)).Cluster.Tls;
            Assert.True(settings.Enabled, name);
            Assert.Equal(($"{tls[1]}/{name}.crt", $"{tls[1]}/{name}.key", $"{tls[1]}/ca.crt"),
                (settings.Certificate, settings.PrivateKey, settings.Authority));
        }
        Assert.Contains("deploy/tls/make-certs.sh", text); // the header says how to make them
    }

    [Fact]
    public void The_Kubernetes_files_set_only_real_settings_and_their_ports_probes_seeds_and_secret_agree()
    {
        var set = Documents("deploy/k8s/statefulset.yaml").Single();
        var container = At(set, "spec", "template", "spec", "containers", 0)!;
        var envList = ((List<object>)At(container, "env")!).Cast<Dictionary<object, object>>().ToList();
        AssertKnown(envList.Select(e => (string)e["name"]), "statefulset");
        var ports = ((List<object>)At(container, "ports")!).Cast<Dictionary<object, object>>()
            .ToDictionary(p => (string)p["name"], p => int.Parse(p["containerPort"].ToString()!));
        Assert.Equal((HttpPort, RemotingPort), (ports["http"], ports["remoting"]));

        // Values as the pod would see them: $(POD_NAME) and $(POD_NAMESPACE) filled in, secrets present.
        string Fill(string v) => v.Replace("$(POD_NAME)", "coordinator-1").Replace("$(POD_NAMESPACE)", "coordinator");
        var env = envList.Where(e => e.ContainsKey("value")).ToDictionary(e => (string)e["name"], e => Fill((string)e["value"]));
        Assert.Equal($"http://0.0.0.0:{HttpPort}", env["ASPNETCORE_URLS"]);
        var settings = Settings(Bind(env));
        Assert.Equal((PersistenceProvider.Postgres, RemotingPort), (settings.Persistence.Provider, settings.Cluster.Port));
        var replicas = int.Parse(At(set, "spec", "replicas")!.ToString()!);
        var headless = (string)At(set, "spec", "serviceName")!;
        Assert.Equal(Enumerable.Range(0, replicas).Select(i =>
            $"akka.ssl.tcp://coordinator@coordinator-{i}.{headless}.coordinator.svc.cluster.local:{RemotingPort}"), settings.Cluster.Seeds);
        Assert.Equal($"coordinator-1.{headless}.coordinator.svc.cluster.local", settings.Cluster.PublicHostname);

        var secret = (Dictionary<object, object>)At(Documents("deploy/k8s/secret.example.yaml").Single(), "stringData")!;
        foreach (var e in envList.Where(e => e.ContainsKey("valueFrom") && At(e, "valueFrom", "secretKeyRef") is not null))
            Assert.True(secret.ContainsKey((string)At(e, "valueFrom", "secretKeyRef", "key")!), $"{e["name"]}: no such key in the secret");

        Assert.Equal(("/healthz/ready", "http"),
            ((string)At(container, "readinessProbe", "httpGet", "path")!, (string)At(container, "readinessProbe", "httpGet", "port")!));
        Assert.Equal(("/healthz/live", "http"),
            ((string)At(container, "livenessProbe", "httpGet", "path")!, (string)At(container, "livenessProbe", "httpGet", "port")!));
        Assert.Null(At(container, "lifecycle")); // SIGTERM makes the node leave: no preStop hook

        var services = Documents("deploy/k8s/services.yaml");
        var nodesService = services.Single(s => (string)At(s, "metadata", "name")! == headless);
        Assert.Equal(("None", "true"), ((string)At(nodesService, "spec", "clusterIP")!,
            At(nodesService, "spec", "publishNotReadyAddresses")!.ToString()!));
        Assert.Equal("remoting", (string)At(nodesService, "spec", "ports", 0, "targetPort")!);
        Assert.Equal("http", (string)At(services.Single(s => (string)At(s, "metadata", "name")! == "coordinator"),
            "spec", "ports", 0, "targetPort")!);
        Assert.Equal("1", At(Documents("deploy/k8s/pdb.yaml").Single(), "spec", "maxUnavailable")!.ToString());
        var kustomized = ((List<object>)At(Documents("deploy/k8s/kustomization.yaml").Single(), "resources")!).Cast<string>();
        Assert.All(kustomized, f => Assert.True(File.Exists(Path.Combine(Root, "deploy/k8s", f)), f));
    }

    [Fact]
    public void The_Kubernetes_pod_is_locked_down_pins_its_image_and_mounts_its_TLS_secret()
    {
        var set = Documents("deploy/k8s/statefulset.yaml").Single();
        var pod = At(set, "spec", "template", "spec")!;
        var container = At(pod, "containers", 0)!;
        string? Text(object? node, params object[] path) => At(node, path)?.ToString();

        Assert.Equal("false", Text(pod, "automountServiceAccountToken"));
        Assert.Equal(("true", AppUid.ToString(), AppUid.ToString(), AppUid.ToString(), "RuntimeDefault"),
            (Text(pod, "securityContext", "runAsNonRoot"), Text(pod, "securityContext", "runAsUser"), Text(pod, "securityContext", "runAsGroup"),
             Text(pod, "securityContext", "fsGroup"), Text(pod, "securityContext", "seccompProfile", "type")));
        Assert.Equal(("false", "true"), (Text(container, "securityContext", "allowPrivilegeEscalation"),
            Text(container, "securityContext", "readOnlyRootFilesystem")));
        Assert.Equal(["ALL"], ((List<object>)At(container, "securityContext", "capabilities", "drop")!).Cast<string>());
        Assert.Contains("USER app", File.ReadAllText(Path.Combine(Root, "deploy/Dockerfile")));

        var volumes = ((List<object>)At(pod, "volumes")!).Cast<Dictionary<object, object>>().ToDictionary(v => (string)v["name"]);
        var mounts = ((List<object>)At(container, "volumeMounts")!).Cast<Dictionary<object, object>>().ToList();
        Dictionary<object, object> VolumeAt(string path) => volumes[(string)mounts.Single(m => (string)m["mountPath"] == path)["name"]];
        // The root filesystem is read-only: /tmp and the data folder are emptyDirs.
        Assert.True(VolumeAt("/tmp").ContainsKey("emptyDir"));
        var envList = ((List<object>)At(container, "env")!).Cast<Dictionary<object, object>>().ToList();
        var env = envList.Where(e => e.ContainsKey("value")).ToDictionary(e => (string)e["name"], e => (string)e["value"]);
        Assert.True(VolumeAt(env["Coordinator__Auth__DataFolder"]).ContainsKey("emptyDir"), "the data folder must be a writable volume");

        // An image tag of its own, here and in the kustomization; never latest.
        var image = (string)At(container, "image")!;
        Assert.Matches(@"^[\w./-]+:[\w.-]+$", image);
        Assert.DoesNotMatch(":latest$", image);
        var pinned = ((List<object>)At(Documents("deploy/k8s/kustomization.yaml").Single(), "images")!).Cast<Dictionary<object, object>>()
            .Single(i => (string)i["name"] == image.Split(':')[0]);
        Assert.True(pinned.ContainsKey("digest") || (pinned.TryGetValue("newTag", out var tag) && (string)tag != "latest"),
            "kustomization images: a tag that is not latest");

        // Mutual TLS: the three settings point into the read-only mount of the Secret, at keys the Secret has.
        var tlsMount = mounts.Single(m => (string)m["name"] == (string)volumes.Single(v => v.Value.ContainsKey("secret")).Key);
        var mountPath = (string)tlsMount["mountPath"];
        Assert.Equal("true", tlsMount["readOnly"].ToString());
        var secretExample = Documents("deploy/k8s/tls-secret.example.yaml").Single();
        Assert.Equal((string)At(secretExample, "metadata", "name")!, (string)At(volumes[(string)tlsMount["name"]], "secret", "secretName")!);
        Assert.Equal("coordinator-node-tls", (string)At(secretExample, "metadata", "name")!);
        var keys = ((Dictionary<object, object>)At(secretExample, "stringData")!).Keys.Cast<string>().ToHashSet();
        var tls = Settings(Bind(env)).Cluster.Tls;
        Assert.True(tls.Enabled);
        foreach (var file in new[] { tls.Certificate, tls.PrivateKey, tls.Authority })
        {
            Assert.StartsWith(mountPath + "/", file);
            Assert.Contains(Path.GetFileName(file)!, keys);
        }
        Assert.Equal(["ca.crt", "tls.crt", "tls.key"], keys.Order());
        var kustomized = ((List<object>)At(Documents("deploy/k8s/kustomization.yaml").Single(), "resources")!).Cast<string>().ToList();
        Assert.DoesNotContain("tls-secret.example.yaml", kustomized); // an example, not applied
        Assert.DoesNotContain("secret.example.yaml", kustomized);
    }

    [Fact]
    public void The_NetworkPolicy_admits_remoting_from_the_nodes_only()
    {
        var kustomized = ((List<object>)At(Documents("deploy/k8s/kustomization.yaml").Single(), "resources")!).Cast<string>();
        var policy = Documents("deploy/k8s/networkpolicy.yaml").Single();
        Assert.Contains("networkpolicy.yaml", kustomized);
        Assert.Equal("NetworkPolicy", (string)At(policy, "kind")!);
        var podLabels = (Dictionary<object, object>)At(Documents("deploy/k8s/statefulset.yaml").Single(), "spec", "template", "metadata", "labels")!;
        var nodes = (Dictionary<object, object>)At(policy, "spec", "podSelector", "matchLabels")!;
        Assert.Equal(("app", "coordinator"), ((string)nodes.Single().Key, (string)nodes.Single().Value));
        Assert.Equal("coordinator", (string)podLabels["app"]);
        Assert.Contains("Ingress", ((List<object>)At(policy, "spec", "policyTypes")!).Cast<string>());

        var rules = ((List<object>)At(policy, "spec", "ingress")!).Cast<Dictionary<object, object>>().ToList();
        // A rule without ports opens every port, remoting included; one with 4053 must come from the nodes alone.
        var remoting = rules.Where(r => At(r, "ports") is not List<object> ports
            || ports.Cast<Dictionary<object, object>>().Any(p => p["port"].ToString() is "4053" or "remoting")).ToList();
        Assert.NotEmpty(remoting);
        foreach (var rule in remoting)
        {
            var from = Assert.IsType<List<object>>(At(rule, "from"), exactMatch: false).Cast<Dictionary<object, object>>().ToList();
            Assert.NotEmpty(from);
            Assert.All(from, peer =>
            {
                Assert.Equal(["podSelector"], peer.Keys.Cast<string>()); // no namespaceSelector or ipBlock: this namespace's nodes
                var labels = (Dictionary<object, object>)At(peer, "podSelector", "matchLabels")!;
                Assert.Equal(("app", "coordinator"), ((string)labels.Single().Key, (string)labels.Single().Value));
            });
        }
        Assert.Contains(rules, r => At(r, "ports") is List<object> ports
            && ports.Cast<Dictionary<object, object>>().Any(p => p["port"].ToString() == HttpPort.ToString()));
    }

    [Fact]
    public void The_image_exposes_the_ports_the_files_use()
    {
        var dockerfile = File.ReadAllText(Path.Combine(Root, "deploy/Dockerfile"));
        Assert.Matches($@"EXPOSE {HttpPort} {RemotingPort}", dockerfile);
        Assert.Contains($"ASPNETCORE_URLS=http://0.0.0.0:{HttpPort}", dockerfile);
        Assert.Contains($"Coordinator__Cluster__Port={RemotingPort}", dockerfile);
        AssertKnown(Regex.Matches(dockerfile, @"(Coordinator__\w+)=").Select(m => m.Groups[1].Value), "Dockerfile");
    }

    /// <summary>Whether a .dockerignore excludes a path, as Docker matches
    /// (** any folders, * within one, a folder's pattern covers what is in it).</summary>
    private static bool Ignored(IReadOnlyList<string> patterns, string path)
    {
        var ignored = false;
        foreach (var line in patterns)
        {
            var exception = line.StartsWith('!');
            var pattern = (exception ? line[1..] : line).Trim('/');
            var regex = "^" + Regex.Replace(pattern, @"\*\*/|\*\*|\*|\?|[^*?]+", m => m.Value switch
            {
                "**/" => "(?:.*/)?",
                "**" => ".*",
                "*" => "[^/]*",
                "?" => "[^/]",
                var literal => Regex.Escape(literal),
            }) + "(?:/.*)?$";
            if (Regex.IsMatch(path, regex)) ignored = !exception;
        }
        return ignored;
    }

    [Fact]
    public void The_dockerignore_keeps_build_output_data_and_secrets_out_and_what_publish_needs_in()
    {
        var patterns = File.ReadAllLines(Path.Combine(Root, ".dockerignore")).Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        Assert.Contains(patterns, p => p is "data/" or "**/data/" or "data");
        Assert.Contains(patterns, p => p is "**/bin/" or "**/bin");
        Assert.Contains(patterns, p => p is "**/obj/" or "**/obj");
        Assert.All(new[]
        {
            ".git/HEAD", "data/coordinator.db", "src/Coordinator.Node/data/bootstrap-token", "src/Coordinator.Node/data/signing.key",
            "coordinator.db", "coordinator.db-wal", "src/Coordinator.Node/bin/Release/net10.0/Coordinator.Node.dll",
            "src/Coordinator.Node/obj/project.assets.json", "tests/Coordinator.Node.Tests/TestResults/x.trx", ".env",
            "deploy/compose/.env", "deploy/compose/tls/node1.key", "deploy/compose/tls/ca.crt", "node.pfx", "secrets/node.key", "ca.pem",
        }, path => Assert.True(Ignored(patterns, path), $"{path} goes into the image's build context"));

        // What `dotnet publish src/Coordinator.Node` (deploy/Dockerfile) needs stays in.
        var needed = new[] { "Directory.Build.props", "Directory.Packages.props", "Coordinator.sln", "deploy/Dockerfile" }
            .Concat(Directory.EnumerateFiles(Path.Combine(Root, "src"), "*", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(Root, f).Replace('\\', '/'))
                .Where(f => !Regex.IsMatch(f, "/(bin|obj|data)/")));
        Assert.All(needed, path => Assert.False(Ignored(patterns, path), $"{path} is needed to build the image"));
    }

    private static async Task<(int Exit, string Output)> Run(string file, params string[] args)
    {
        var (exit, stdout, stderr) = await Command.RunAsync(new ProcessStartInfo("bash", [file, .. args]));
        return (exit, stdout + stderr);
    }

    private static X509Certificate2 Authority(string folder, string file = "ca.crt") =>
        X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(folder, file)));

    private static X509Certificate2 Node(string folder, string name) =>
        X509Certificate2.CreateFromPemFile(Path.Combine(folder, $"{name}.crt"), Path.Combine(folder, $"{name}.key"));

    /// <summary>As a node checks a peer: the chain ends at one of the operation's CAs, for both uses of the link.</summary>
    private static bool Chains(X509Certificate2 certificate, params X509Certificate2[] authorities)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new(ServerAuth));
        chain.ChainPolicy.ApplicationPolicy.Add(new(ClientAuth));
        return chain.Build(certificate) && authorities.Any(a => a.Thumbprint == chain.ChainElements[^1].Certificate.Thumbprint);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task make_certs_issues_node_certificates_for_both_ends_of_a_link_from_one_CA_and_rotates()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "make-certs.sh is a bash script");
        var script = Path.Combine(Root, "deploy/tls/make-certs.sh");
        var folder = Path.Combine(Path.GetTempPath(), $"coord-certs-{Guid.NewGuid():N}");
        var tls = Path.Combine(folder, "tls");
        try
        {
            var made = await Run(script, tls, "node1", "node2");
            Assert.True(made.Exit == 0, made.Output);
            using var ca = Authority(tls);
            Assert.True(ca.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
            foreach (var name in new[] { "node1", "node2" })
            {
                using var node = Node(tls, name);
                Assert.True(node.HasPrivateKey, name);
                Assert.True(Chains(node, ca), $"{name} does not chain to the CA");
                var usages = node.Extensions.OfType<X509EnhancedKeyUsageExtension>()
                    .Single().EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>().Select(o => o.Value);
                Assert.Equal([ServerAuth, ClientAuth], usages.Order());
                var keyUsage = node.Extensions.OfType<X509KeyUsageExtension>().Single().KeyUsages;
                Assert.True(keyUsage.HasFlag(X509KeyUsageFlags.DigitalSignature) && keyUsage.HasFlag(X509KeyUsageFlags.KeyEncipherment),
                    keyUsage.ToString());
                var names = node.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
                Assert.Equal([name, "localhost"], names.EnumerateDnsNames());
                Assert.Equal([IPAddress.Loopback], names.EnumerateIPAddresses());
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(tls, $"{name}.key")));
            }
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(tls, "ca.key")));

            // The two ends of a link accept each other (mutual TLS as the nodes do it, host names unchecked).
            using (var node1 = Node(tls, "node1"))
            using (var node2 = Node(tls, "node2"))
                await Handshake(node1, node2, ca);

            // Run again: the existing CA signs (its key is not replaced) — new node certificates for a rotation.
            var caKey = await File.ReadAllTextAsync(Path.Combine(tls, "ca.key"), TestContext.Current.CancellationToken);
            var again = await Run(script, tls, "node1", "node3");
            Assert.True(again.Exit == 0, again.Output);
            Assert.Equal(caKey, await File.ReadAllTextAsync(Path.Combine(tls, "ca.key"), TestContext.Current.CancellationToken));
            using (var node3 = Node(tls, "node3")) Assert.True(Chains(node3, ca));

            // A new CA only when asked; the old one is kept for the trust bundle of the change-over.
            var newCa = await Run(script, "--new-ca", tls, "node1");
            Assert.True(newCa.Exit == 0, newCa.Output);
            using var previous = Authority(tls, "ca.previous.crt");
            using var next = Authority(tls);
            Assert.Equal(ca.Thumbprint, previous.Thumbprint);
            Assert.NotEqual(ca.Thumbprint, next.Thumbprint);
            using var renewed = Node(tls, "node1");
            using var old = Node(tls, "node2");
            Assert.False(Chains(renewed, previous));
            Assert.True(Chains(renewed, next) && Chains(old, previous));
            Assert.True(Chains(renewed, previous, next) && Chains(old, previous, next)); // an Authority with both takes both
            var refused = await Run(script, "--new-ca", tls);
            Assert.True(refused.Exit != 0 && refused.Output.Contains("ca.previous.key"), refused.Output); // would lose a CA key
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>One TLS connection where each side presents its certificate and checks the other's chain to the CA.</summary>
    private static async Task Handshake(X509Certificate2 server, X509Certificate2 client, X509Certificate2 ca)
    {
        var ct = TestContext.Current.CancellationToken;
        bool Check(X509Certificate? peer) => peer is not null && Chains(X509CertificateLoader.LoadCertificate(peer.GetRawCertData()), ca);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var accepted = Task.Run(async () =>
        {
            using var socket = await listener.AcceptTcpClientAsync(ct);
            await using var tls = new SslStream(socket.GetStream(), false, (_, peer, _, _) => Check(peer));
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificate = server,
                ClientCertificateRequired = true,
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            }, ct);
            Assert.True(tls.IsMutuallyAuthenticated);
            await tls.WriteAsync(new byte[] { 1 }, ct);
        }, ct);
        using var connection = new TcpClient();
        await connection.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port, ct);
        await using (var tls = new SslStream(connection.GetStream(), false, (_, peer, _, _) => Check(peer)))
        {
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "any-name",
                ClientCertificates = [client],
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            }, ct);
            Assert.Equal(1, tls.ReadByte());
        }
        await accepted;
    }

    [Fact]
    public async Task The_probe_paths_answer_on_a_real_node_and_there_is_no_leave_route()
    {
        await using var node = await NodeUnderTest.StartAsync();
        using var anonymous = node.Client(null); // probes carry no token
        Assert.Equal(200, (int)(await anonymous.GetAsync("/healthz/ready", TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(200, (int)(await anonymous.GetAsync("/healthz/live", TestContext.Current.CancellationToken)).StatusCode);
        // A node leaves on SIGTERM, or when an admin asks (POST /api/admin/cluster/leave); no open route does it.
        var leave = await anonymous.PostAsync("/healthz/leave", null, TestContext.Current.CancellationToken);
        Assert.True((int)leave.StatusCode is 404 or 405, $"POST /healthz/leave answered {(int)leave.StatusCode}");
        Assert.Equal(200, (int)(await anonymous.GetAsync("/healthz/ready", TestContext.Current.CancellationToken)).StatusCode);
    }
}

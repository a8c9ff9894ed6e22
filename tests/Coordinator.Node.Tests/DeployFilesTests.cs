using System.Reflection;
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
/// node reads: every environment variable is a real setting, ports agree from image to probe to seed, and
/// every probe path answers on a real node.
/// </summary>
public class DeployFilesTests
{
    private static readonly string Root = FindRoot();
    private const int HttpPort = 8080, RemotingPort = 4053;

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Coordinator.sln"))) dir = dir.Parent;
        return dir!.FullName;
    }

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
            Assert.Equal((PersistenceProvider.Postgres, RemotingPort, name), (settings.Persistence.Provider, settings.Cluster.Port, settings.Cluster.PublicHostname));
            Assert.Equal(nodes.Select(n => $"akka.tcp://coordinator@{n.Key}:{RemotingPort}"), settings.Cluster.Seeds);
            Assert.Contains(((List<object>)At(service, "ports")!).Cast<string>(), p => p.EndsWith($":{HttpPort}"));
            Assert.Contains("/healthz/ready", string.Join(' ', ((List<object>)At(service, "healthcheck", "test")!).Cast<string>()));
            Assert.Contains("postgres", ((Dictionary<object, object>)At(service, "depends_on")!).Keys.Cast<string>());
        }
    }

    [Fact]
    public void The_Kubernetes_files_set_only_real_settings_and_their_ports_probes_seeds_and_secret_agree()
    {
        var set = Documents("deploy/k8s/statefulset.yaml").Single();
        var container = At(set, "spec", "template", "spec", "containers", 0)!;
        var envList = ((List<object>)At(container, "env")!).Cast<Dictionary<object, object>>().ToList();
        AssertKnown(envList.Select(e => (string)e["name"]), "statefulset");
        var ports = ((List<object>)At(container, "ports")!).Cast<Dictionary<object, object>>().ToDictionary(p => (string)p["name"], p => int.Parse(p["containerPort"].ToString()!));
        Assert.Equal((HttpPort, RemotingPort), (ports["http"], ports["remoting"]));

        // Values as the pod would see them: $(POD_NAME) and $(POD_NAMESPACE) filled in, secrets present.
        string Fill(string v) => v.Replace("$(POD_NAME)", "coordinator-1").Replace("$(POD_NAMESPACE)", "coordinator");
        var env = envList.Where(e => e.ContainsKey("value")).ToDictionary(e => (string)e["name"], e => Fill((string)e["value"]));
        Assert.Equal($"http://0.0.0.0:{HttpPort}", env["ASPNETCORE_URLS"]);
        var settings = Settings(Bind(env));
        Assert.Equal((PersistenceProvider.Postgres, RemotingPort), (settings.Persistence.Provider, settings.Cluster.Port));
        var replicas = int.Parse(At(set, "spec", "replicas")!.ToString()!);
        var headless = (string)At(set, "spec", "serviceName")!;
        Assert.Equal(Enumerable.Range(0, replicas).Select(i => $"akka.tcp://coordinator@coordinator-{i}.{headless}.coordinator.svc.cluster.local:{RemotingPort}"), settings.Cluster.Seeds);
        Assert.Equal($"coordinator-1.{headless}.coordinator.svc.cluster.local", settings.Cluster.PublicHostname);

        var secret = (Dictionary<object, object>)At(Documents("deploy/k8s/secret.example.yaml").Single(), "stringData")!;
        foreach (var e in envList.Where(e => e.ContainsKey("valueFrom") && At(e, "valueFrom", "secretKeyRef") is not null))
            Assert.True(secret.ContainsKey((string)At(e, "valueFrom", "secretKeyRef", "key")!), $"{e["name"]}: no such key in the secret");

        Assert.Equal(("/healthz/ready", "http"), ((string)At(container, "readinessProbe", "httpGet", "path")!, (string)At(container, "readinessProbe", "httpGet", "port")!));
        Assert.Equal(("/healthz/live", "http"), ((string)At(container, "livenessProbe", "httpGet", "path")!, (string)At(container, "livenessProbe", "httpGet", "port")!));
        Assert.Null(At(container, "lifecycle")); // SIGTERM makes the node leave: no preStop hook

        var services = Documents("deploy/k8s/services.yaml");
        var nodesService = services.Single(s => (string)At(s, "metadata", "name")! == headless);
        Assert.Equal(("None", "true"), ((string)At(nodesService, "spec", "clusterIP")!, At(nodesService, "spec", "publishNotReadyAddresses")!.ToString()!));
        Assert.Equal("remoting", (string)At(nodesService, "spec", "ports", 0, "targetPort")!);
        Assert.Equal("http", (string)At(services.Single(s => (string)At(s, "metadata", "name")! == "coordinator"), "spec", "ports", 0, "targetPort")!);
        Assert.Equal("1", At(Documents("deploy/k8s/pdb.yaml").Single(), "spec", "maxUnavailable")!.ToString());
        var kustomized = ((List<object>)At(Documents("deploy/k8s/kustomization.yaml").Single(), "resources")!).Cast<string>();
        Assert.All(kustomized, f => Assert.True(File.Exists(Path.Combine(Root, "deploy/k8s", f)), f));
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

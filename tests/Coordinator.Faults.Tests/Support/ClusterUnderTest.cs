using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Coordinator.Cluster.Tests.Support;

namespace Coordinator.Faults.Tests.Support;

/// <summary>
/// Three (or N) node processes on loopback sharing one PostgreSQL database, every node a seed, linked by mutual
/// TLS with certificates from the cluster's own authority, and with the settings a deployment ships.
/// </summary>
public sealed class ClusterUnderTest : IAsyncDisposable
{
    public IReadOnlyList<NodeProcess> Nodes { get; }
    public string ConnectionString { get; }
    public Certificates Certificates { get; }

    private ClusterUnderTest(IReadOnlyList<NodeProcess> nodes, string connectionString, Certificates certificates)
    {
        Nodes = nodes;
        ConnectionString = connectionString;
        Certificates = certificates;
    }

    public string[] Seeds => [.. Nodes.Select(n => n.Address)];

    /// <param name="settings">Settings every node gets besides the shipped ones, as command-line arguments.</param>
    public static async Task<ClusterUnderTest> StartAsync(PostgresServer postgres, int size = 3, params string[] settings) =>
        await StartAsync(await postgres.CreateDatabaseAsync(), size, _ => ("127.0.0.1", null), settings);

    /// <param name="place">Node i's address and network namespace.</param>
    public static async Task<ClusterUnderTest> StartAsync(string connectionString, int size, Func<int, (string Host, string? Namespace)> place,
        params string[] settings)
    {
        var certificates = new Certificates();
        var nodes = Enumerable.Range(1, size).Select(i => new NodeProcess($"node{i}",
        [
            "--Coordinator:Persistence:Provider=postgres", $"--Coordinator:Persistence:ConnectionString={connectionString}",
            .. Certificates.Arguments(certificates.Issue($"node{i}")), .. settings,
        ], place(i).Host, place(i).Namespace)).ToList();
        var cluster = new ClusterUnderTest(nodes, connectionString, certificates);
        // The first seed forms the cluster; the others join it.
        nodes[0].Start(cluster.Seeds);
        await nodes[0].WaitReadyAsync(TimeSpan.FromSeconds(60));
        foreach (var n in nodes.Skip(1)) n.Start(cluster.Seeds);
        foreach (var n in nodes.Skip(1)) await n.WaitReadyAsync(TimeSpan.FromSeconds(60));
        await cluster.UntilMembersAsync(nodes[0], size, TimeSpan.FromSeconds(60));
        return cluster;
    }

    /// <summary>The embedded default: one node alone, its journal in the SQLite file under its working folder, no seeds.</summary>
    public static async Task<ClusterUnderTest> StartAloneAsync(params string[] settings)
    {
        var node = new NodeProcess("alone", settings);
        var alone = new ClusterUnderTest([node], "Data Source=./data/coordinator.db", new Certificates());
        node.Start();
        await node.WaitReadyAsync(TimeSpan.FromSeconds(60));
        return alone;
    }

    /// <summary>Waits until the node sees exactly this many members, all Up.</summary>
    public async Task UntilMembersAsync(NodeProcess node, int count, TimeSpan patience)
    {
        using var http = node.Client(TimeSpan.FromSeconds(5));
        var until = DateTime.UtcNow + patience;
        JsonNode? last = null;
        while (DateTime.UtcNow < until)
        {
            try
            {
                last = await http.GetFromJsonAsync<JsonNode>("/api/admin/cluster");
                var members = last!["members"]!.AsArray();
                if (members.Count == count && members.All(m => (string)m!["status"]! == "Up" && (bool)m["reachable"]!)) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(200);
        }
        throw new TimeoutException($"{node.Name} never saw {count} members Up: {last?.ToJsonString()}\n{Logs}");
    }

    public string Logs => string.Join("\n", Nodes.Select(n => n.Log));

    public async ValueTask DisposeAsync()
    {
        foreach (var n in Nodes) await n.DisposeAsync();
        Certificates.Dispose();
    }
}

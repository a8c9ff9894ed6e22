using System.Diagnostics;

namespace Coordinator.Faults.Tests.Support;

/// <summary>
/// A network of its own for a partition test: one Linux network namespace per node, each joined to a bridge
/// by a veth pair. The test's process and PostgreSQL stay in the host's namespace, on the bridge's address.
/// Cutting a node takes its link down: it loses everything at once, as behind a failed switch.
/// </summary>
public sealed class Network : IAsyncDisposable
{
    private readonly string _id = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray())[..6];
    private readonly int _subnet;
    private readonly int _size;

    private Network(int size, int subnet) => (_size, _subnet) = (size, subnet);

    public string Gateway => $"10.{_subnet}.0.1";
    public string Subnet => $"10.{_subnet}.0.0/24";
    public string Address(int node) => $"10.{_subnet}.0.{10 + node}";
    public string Namespace(int node) => $"coord-{_id}-{node}";
    private string Bridge => $"cb{_id}";
    private string Link(int node) => $"cv{_id}{node}";

    /// <summary>Whether namespaces can be made here (root with CAP_NET_ADMIN), checked by making one.</summary>
    public static async Task<bool> AvailableAsync()
    {
        var probe = $"coord-probe-{Environment.ProcessId}";
        if (await Ip(false, "netns", "add", probe) != 0) return false;
        await Ip(false, "netns", "del", probe);
        return true;
    }

    public static async Task<Network> CreateAsync(int nodes)
    {
        var net = new Network(nodes, await FreeSubnetAsync());
        await Ip(true, "link", "add", net.Bridge, "type", "bridge");
        await Ip(true, "addr", "add", $"{net.Gateway}/24", "dev", net.Bridge);
        await Ip(true, "link", "set", net.Bridge, "up");
        for (var i = 1; i <= nodes; i++)
        {
            var ns = net.Namespace(i);
            await Ip(true, "netns", "add", ns);
            await Ip(true, "link", "add", net.Link(i), "type", "veth", "peer", "name", "eth0", "netns", ns);
            await Ip(true, "link", "set", net.Link(i), "master", net.Bridge, "up");
            await Ip(true, "-n", ns, "addr", "add", $"{net.Address(i)}/24", "dev", "eth0");
            await Ip(true, "-n", ns, "link", "set", "eth0", "up");
            await Ip(true, "-n", ns, "link", "set", "lo", "up");
            await Ip(true, "-n", ns, "route", "add", "default", "via", net.Gateway);
        }
        return net;
    }

    /// <summary>
    /// Whether node's namespace reaches host:port on the bridge, tried until the deadline. A host whose firewall
    /// drops a bridge's traffic cannot hold this test; it is told apart from a fault of the nodes this way.
    /// </summary>
    public async Task<bool> ReachesAsync(int node, string host, int port, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        do
        {
            if (await Ip(false, "netns", "exec", Namespace(node), "timeout", "3", "bash", "-c", $"exec 3<>/dev/tcp/{host}/{port}") == 0)
                return true;
            await Task.Delay(TimeSpan.FromMilliseconds(500));
        } while (DateTime.UtcNow < deadline);
        return false;
    }

    /// <summary>What the host's network looks like, for a test that cannot reach across the bridge.</summary>
    public static async Task<string> DescribeHostAsync() =>
        $"{await IpOutput("-4", "-o", "addr")}\n{await IpOutput("-4", "route")}";

    public Task Cut(int node) => Ip(true, "link", "set", Link(node), "down");

    public Task Heal(int node) => Ip(true, "link", "set", Link(node), "up");

    public async ValueTask DisposeAsync()
    {
        for (var i = 1; i <= _size; i++) await Ip(false, "netns", "del", Namespace(i)); // takes its veth pair along
        await Ip(false, "link", "del", Bridge);
    }

    /// <summary>
    /// A 10.x.0.0/24 that no address or route of the host overlaps: a subnet already in use (another run's
    /// bridge, the host's own network) would send the nodes' packets somewhere else.
    /// </summary>
    private static async Task<int> FreeSubnetAsync()
    {
        var inUse = (await IpOutput("-4", "-o", "addr")) + "\n" + (await IpOutput("-4", "route"));
        var free = Enumerable.Range(100, 150).Where(x => !inUse.Contains($"10.{x}.", StringComparison.Ordinal)).ToList();
        if (inUse.Contains(" 10.0.0.0/8", StringComparison.Ordinal) || free.Count == 0)
            throw new InvalidOperationException($"no free 10.x.0.0/24 on this host:\n{inUse}");
        return free[Random.Shared.Next(free.Count)];
    }

    private static async Task<string> IpOutput(params string[] args)
    {
        var start = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output;
    }

    private static async Task<int> Ip(bool required, params string[] args)
    {
        var start = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (required && process.ExitCode != 0) throw new InvalidOperationException($"ip {string.Join(' ', args)}: {error}");
        return process.ExitCode;
    }
}

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
    private readonly int _subnet = Random.Shared.Next(100, 250);
    private readonly int _size;

    private Network(int size) => _size = size;

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
        var net = new Network(nodes);
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

    public Task Cut(int node) => Ip(true, "link", "set", Link(node), "down");

    public Task Heal(int node) => Ip(true, "link", "set", Link(node), "up");

    public async ValueTask DisposeAsync()
    {
        for (var i = 1; i <= _size; i++) await Ip(false, "netns", "del", Namespace(i)); // takes its veth pair along
        await Ip(false, "link", "del", Bridge);
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

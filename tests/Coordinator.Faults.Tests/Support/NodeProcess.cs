using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Coordinator.Faults.Tests.Support;

/// <summary>
/// One Coordinator node as its own process (the real executable, as deploy/local/cluster.sh runs it), on
/// loopback ports of its own, with its output kept for the test's report.
/// </summary>
public sealed class NodeProcess : IAsyncDisposable
{
    public const string SigningKey = "fault-test-signing-key-0123456789-abcdefghij";
    public const string BootstrapToken = "fault-test-bootstrap-token-0123456789-abcdef";

    private readonly string[] _settings;
    private readonly StringBuilder _log = new();
    private Process? _process;

    public string Name { get; }
    /// <summary>The address the node binds and is reached at; another than loopback inside a network namespace.</summary>
    public string Host { get; }
    /// <summary>The network namespace the node runs in, if any.</summary>
    public string? Namespace { get; }
    public int HttpPort { get; } = FreePort();
    public int AkkaPort { get; } = FreePort();
    public string Folder { get; } = Directory.CreateTempSubdirectory("coord-node-").FullName;
    public Uri BaseAddress => new($"http://{Host}:{HttpPort}");
    public string Address => $"akka.ssl.tcp://coordinator@{Host}:{AkkaPort}";
    public bool Running => _process is { HasExited: false };

    public NodeProcess(string name, string[] settings, string host = "127.0.0.1", string? inNamespace = null)
    {
        Name = name;
        _settings = settings;
        Host = host;
        Namespace = inNamespace;
    }

    /// <summary>The repository's root folder.</summary>
    public static string Root
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Coordinator.sln"))) dir = dir.Parent;
            return dir!.FullName;
        }
    }

    /// <summary>The node's executable, as the solution's build left it (same configuration as these tests).</summary>
    public static string Executable
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}")
                ? "Release" : "Debug";
            var dll = Path.Combine(Root, "src", "Coordinator.Node", "bin", configuration, "net10.0", "Coordinator.Node.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException($"build the solution first: {dll} is missing");
        }
    }

    public void Start(params string[] seeds)
    {
        // In a namespace, `ip netns exec` becomes dotnet (same process), so Kill still reaches the node.
        var start = new ProcessStartInfo(Namespace is null ? "dotnet" : "ip")
        {
            WorkingDirectory = Folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in (Namespace is null ? [] : new[] { "netns", "exec", Namespace, "dotnet" }).Concat(new[]
        {
            Executable, "--urls", BaseAddress.ToString(),
            $"--Coordinator:Cluster:Hostname={Host}", $"--Coordinator:Cluster:Port={AkkaPort}",
            $"--Coordinator:Cluster:Seeds={string.Join(',', seeds)}",
            $"--Coordinator:Auth:SigningKey={SigningKey}", $"--Coordinator:Auth:BootstrapToken={BootstrapToken}",
            "--Coordinator:Auth:RequestsPerMinute=0",
            "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Coordinator=Information", "--Logging:LogLevel:Akka=Information",
        }).Concat(_settings)) start.ArgumentList.Add(a);
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_log) _log.AppendLine($"{DateTime.UtcNow:HH:mm:ss.fff} [{Name}] {line}");
    }

    public string Log
    {
        get { lock (_log) return _log.ToString(); }
    }

    public async Task<bool> ExitedWithinAsync(TimeSpan patience)
    {
        if (_process is null) return true;
        using var timeout = new CancellationTokenSource(patience);
        try { await _process.WaitForExitAsync(timeout.Token); return true; }
        catch (OperationCanceledException) { return false; }
    }

    /// <summary>SIGKILL: the process dies at once, mid-write, with no chance to leave the cluster.</summary>
    public void Kill() => _process?.Kill(entireProcessTree: true);

    /// <summary>SIGTERM, as an orchestrator stops a node: it leaves the cluster, hands its shards over, then exits.</summary>
    public async Task TerminateAsync(TimeSpan patience)
    {
        if (_process is not { HasExited: false } process) return;
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString()])) await kill.WaitForExitAsync();
        using var timeout = new CancellationTokenSource(patience);
        await process.WaitForExitAsync(timeout.Token);
    }

    public async Task WaitReadyAsync(TimeSpan patience)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var until = DateTime.UtcNow + patience;
        while (true)
        {
            if (_process is { HasExited: true }) throw new InvalidOperationException($"{Name} exited with {_process.ExitCode}:\n{Log}");
            try
            {
                // Ready, and every projection current: the fault tests then read a settled node.
                if (await http.GetAsync("/healthz/ready") is { IsSuccessStatusCode: true } ready
                    && !(await ready.Content.ReadAsStringAsync()).Contains("\"replaying\"", StringComparison.Ordinal)) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            if (DateTime.UtcNow > until) throw new TimeoutException($"{Name} not ready within {patience}:\n{Log}");
            await Task.Delay(100);
        }
    }

    public HttpClient Client(TimeSpan timeout)
    {
        var http = new HttpClient { BaseAddress = BaseAddress, Timeout = timeout };
        http.DefaultRequestHeaders.Authorization = new("Bearer", BootstrapToken);
        return http;
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false }) Kill();
        if (_process is not null) await _process.WaitForExitAsync();
        _process?.Dispose();
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

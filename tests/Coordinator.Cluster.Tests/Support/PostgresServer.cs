using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Coordinator.Cluster.Tests.Support;

/// <summary>
/// A throwaway PostgreSQL server for the test run: initdb and pg_ctl in a temp folder, on 127.0.0.1 and a
/// free port, as the postgres user when we are root. Each test gets a database of its own.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    /// <summary>Another address to listen on besides loopback (the partition test's bridge).</summary>
    public string? AlsoListenOn { get; init; }

    /// <summary>A network whose clients are trusted (the partition test's namespaces).</summary>
    public string? TrustNetwork { get; init; }

    private string _folder = "";
    private string _bin = "";
    public int Port { get; private set; }

    public async ValueTask InitializeAsync()
    {
        _bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(b => File.Exists(Path.Combine(b, "initdb")))
                .OrderDescending().FirstOrDefault() ?? ""
            : "";
        if (_bin == "")
            throw new InvalidOperationException(
                "PostgreSQL is not installed: run `apt-get install -y postgresql` (as .ci/run does), then run the tests again.");

        _folder = Directory.CreateTempSubdirectory("coord-pg-").FullName;
        Port = FreePort();
        if (IsRoot) await Run("chown", "-R", "postgres:postgres", _folder);
        await RunAsPostgres(Path.Combine(_bin, "initdb"), "-D", Data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8");
        if (TrustNetwork is not null) // clients on another network (the partition test's namespaces)
            await RunAsPostgres("bash", "-c", $"echo 'host all all {TrustNetwork} trust' >> {Path.Combine(Data, "pg_hba.conf")}");
        await StartAsync();
    }

    /// <summary>Starts the server (again, after <see cref="StopAsync"/>) on the same port and data.</summary>
    public Task StartAsync() =>
        RunAsPostgres(Path.Combine(_bin, "pg_ctl"), "-D", Data, "-l", Path.Combine(_folder, "server.log"), "-w", "-t", "60", "-o",
            $"-p {Port} -k {_folder} -c listen_addresses=127.0.0.1{(AlsoListenOn is null ? "" : "," + AlsoListenOn)} -c fsync=off" +
                " -c max_connections=300" +
                // As docs/operations.md asks of a cluster's database: a node cut off mid-write must not hold its
                // locks for hours (the partition test found a sector blocked behind one).
                " -c idle_in_transaction_session_timeout=5000 -c tcp_keepalives_idle=5 -c tcp_keepalives_interval=2 -c tcp_keepalives_count=3",
            "start");

    /// <summary>An outage: the server stops at once, dropping every connection (this process's pooled ones too).</summary>
    public async Task StopAsync()
    {
        await RunAsPostgres(Path.Combine(_bin, "pg_ctl"), "-D", Data, "-m", "immediate", "-w", "stop");
        NpgsqlConnection.ClearAllPools();
    }

    public async ValueTask DisposeAsync()
    {
        if (_bin == "" || _folder == "") return;
        try { await StopAsync(); }
        finally { Directory.Delete(_folder, recursive: true); }
    }

    private string Data => Path.Combine(_folder, "data");

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Pooling=true;Maximum Pool Size=50";

    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"t_{Guid.NewGuid():N}";
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    private static bool IsRoot => Environment.UserName == "root";

    private Task RunAsPostgres(string file, params string[] args) =>
        IsRoot ? Run("runuser", ["-u", "postgres", "--", file, .. args]) : Run(file, args);

    private static async Task Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/tmp" };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({process.ExitCode}): {await output}{await error}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

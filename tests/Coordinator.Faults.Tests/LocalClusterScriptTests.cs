using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Coordinator.Faults.Tests.Support;

namespace Coordinator.Faults.Tests;

/// <summary>deploy/local/cluster.sh as an evaluator runs it: up, status, down, and nothing left behind.</summary>
public sealed class LocalClusterScriptTests(ITestOutputHelper output)
{
    private static string Script => Path.Combine(NodeProcess.Root, "deploy", "local", "cluster.sh");

    private static async Task<(int Exit, string Output)> Run(string folder, int[] ports, params string[] args)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Script);
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["COORD_CLUSTER_DIR"] = folder;
        start.Environment["COORD_NODE_DLL"] = NodeProcess.Executable;
        (start.Environment["COORD_HTTP_BASE"], start.Environment["COORD_AKKA_BASE"], start.Environment["COORD_PG_PORT"]) =
            (ports[0].ToString(), ports[1].ToString(), ports[2].ToString());
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    [Fact]
    public async Task Up_status_and_down_give_a_working_cluster_and_leave_nothing_behind()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"coord-cluster-{Guid.NewGuid():N}");
        // Port ranges of their own: two HTTP ports, two remoting ports, one for PostgreSQL.
        var basePort = 20_000 + Random.Shared.Next(0, 400) * 100;
        int[] ports = [basePort, basePort + 10, basePort + 20];
        try
        {
            var up = await Run(folder, ports, "up", "2");
            output.WriteLine(up.Output);
            Assert.True(up.Exit == 0, up.Output);

            var status = await Run(folder, ports, "status");
            output.WriteLine(status.Output);
            Assert.Equal(0, status.Exit);
            Assert.Contains("node1", status.Output);
            Assert.Equal(2, status.Output.Split('\n').Count(l => l.TrimEnd().EndsWith("  Up")));

            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{ports[0] + 1}") };
            http.DefaultRequestHeaders.Authorization = new("Bearer",
                (await File.ReadAllTextAsync(Path.Combine(folder, "bootstrap-token"), TestContext.Current.CancellationToken)).Trim());
            var view = await http.GetFromJsonAsync<JsonNode>("/api/admin/cluster", TestContext.Current.CancellationToken);
            Assert.Equal(2, view!["members"]!.AsArray().Count);
            Assert.Equal(201, (int)(await http.PostAsJsonAsync("/api/facilities", new { id = "adra", name = "Adra" },
                TestContext.Current.CancellationToken)).StatusCode); // it stores, on PostgreSQL

            var again = await Run(folder, ports, "up", "2");
            Assert.True(again.Exit != 0 && again.Output.Contains("already up"), again.Output);
        }
        finally
        {
            var down = await Run(folder, ports, "down");
            output.WriteLine(down.Output);
            Assert.Equal(0, down.Exit);
        }
        Assert.False(Directory.Exists(folder));
    }
}

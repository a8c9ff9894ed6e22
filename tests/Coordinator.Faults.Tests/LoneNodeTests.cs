using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Coordinator.Faults.Tests.Support;

namespace Coordinator.Faults.Tests;

/// <summary>The embedded default: one node process alone, its journal in the SQLite file under its working folder.</summary>
public sealed class LoneNodeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_lone_node_stopped_under_load_exits_within_five_seconds_without_a_hand_over_timeout_and_loses_nothing()
    {
        await using var alone = await ClusterUnderTest.StartAloneAsync();
        var node = alone.Nodes[0];
        var units = new FieldUnits(alone, cells: 300);
        await units.SetUpAsync();
        var ct = TestContext.Current.CancellationToken;

        var load = units.RunAsync(units: 12, duration: TimeSpan.FromSeconds(60), patience: TimeSpan.FromSeconds(60), ct);
        await Task.Delay(TimeSpan.FromSeconds(8), ct);
        var acknowledgedBefore = units.Acknowledged.Count;
        var watch = Stopwatch.StartNew();
        await node.TerminateAsync(TimeSpan.FromSeconds(30)); // SIGTERM, as docker stop and Kubernetes do
        var exited = watch.Elapsed;
        units.StopSending(); // what is under way is resent until the node is back
        var stopLog = node.Log;
        output.WriteLine($"{acknowledgedBefore} reports acknowledged before the stop; exited {exited.TotalSeconds:0.0} s after SIGTERM");
        output.WriteLine(string.Join("\n", stopLog.Split('\n').Where(l => Milestones.Any(m => l.Contains(m, StringComparison.OrdinalIgnoreCase)))));

        node.Start();
        await node.WaitReadyAsync(TimeSpan.FromSeconds(60));
        await load;

        Assert.True(acknowledgedBefore > 0, "no load before the stop");
        Assert.True(exited < TimeSpan.FromSeconds(5), $"the node took {exited.TotalSeconds:0.0} s to exit (at most 5 s)\n{stopLog}");
        var handOverWaits = stopLog.Split('\n').Where(l => l.Contains("shutdown of shard region timed out", StringComparison.OrdinalIgnoreCase)
            || l.Contains("Requested shard homes") || l.Contains("timed out after", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.True(handOverWaits.Count == 0, string.Join("\n", handOverWaits));
        await Ledger.VerifyAsync(units, alone.Nodes, output);
    }

    [Theory]
    [InlineData("text")]
    [InlineData("json")]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Started_from_another_folder_and_logging_everything_the_node_writes_no_searched_name_nor_refused_token(string format)
    {
        const string latin = "Zubaydiwarqani", arabic = "زبيدورقاني", token = "refused-token-3f9a0c1d2e4b5a6c";
        // Every category at its most talkative; the node runs in its own folder, not the executable's.
        await using var alone = await ClusterUnderTest.StartAloneAsync($"--Coordinator:Logging:Format={format}", "--Logging:LogLevel:Default=Trace",
            "--Logging:LogLevel:Microsoft=Trace", "--Logging:LogLevel:Microsoft.AspNetCore=Trace", "--Logging:LogLevel:Akka=Trace");
        var node = alone.Nodes[0];
        var ct = TestContext.Current.CancellationToken;
        Assert.NotEqual(Path.GetDirectoryName(NodeProcess.Executable), node.Folder);
        using var http = node.Client(TimeSpan.FromSeconds(30));
        var registered = await http.PostAsJsonAsync("/api/inquiries",
            new { id = "inq-log", name = $"{latin} {arabic}", fatherName = latin, homeTown = arabic, contact = $"{latin}@example.org" }, ct);
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        foreach (var path in new[] { "/api/persons", "/api/inquiries" })
            foreach (var query in new[] { latin, arabic, $"{latin} {arabic}" })
                Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"{path}?query={Uri.EscapeDataString(query)}", ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync($"/api/audit?limit={latin}", ct)).StatusCode);
        using var anonymous = new HttpClient { BaseAddress = node.BaseAddress };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/persons?query={latin}&access_token={token}", ct)).StatusCode);

        var log = node.Log;
        Assert.Contains("/api/persons?(withheld)", log); // the request lines are written, their queries withheld
        // As written, as a URL carries it, and as JSON escapes it.
        var arabicForms = new[] { arabic, Uri.EscapeDataString(arabic), System.Text.Json.JsonEncodedText.Encode(arabic).ToString()[..12] };
        foreach (var secret in arabicForms.Append(latin).Append(token))
        {
            var lines = log.Split('\n').Where(l => l.Contains(secret, StringComparison.OrdinalIgnoreCase)).ToList();
            Assert.True(lines.Count == 0, $"the log holds '{secret}':\n{string.Join('\n', lines)}");
        }
        // The journal's files are the owner's alone.
        var data = Path.Combine(node.Folder, "data");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(data));
        Assert.Contains(Path.Combine(data, "coordinator.db-wal"), Directory.GetFiles(data));
        Assert.All(Directory.GetFiles(data), f => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(f)));
    }

    [Fact]
    public async Task Started_from_another_folder_the_node_reads_the_settings_beside_its_executable()
    {
        // At Information, as the node's default: appsettings.json beside the executable keeps ASP.NET Core's
        // per-request lines (Warning) out; read from the working folder, it was not found and they were written.
        await using var alone = await ClusterUnderTest.StartAloneAsync("--Logging:LogLevel:Default=Information");
        var node = alone.Nodes[0];
        using var http = node.Client(TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/facilities", TestContext.Current.CancellationToken)).StatusCode);
        Assert.Contains("Coordinator", node.Log); // Information lines are written
        Assert.DoesNotContain("Microsoft.AspNetCore.Hosting.Diagnostics", node.Log);
    }

    /// <summary>The log lines that tell where the time between SIGTERM and exit goes.</summary>
    private static readonly string[] Milestones = ["Starting coordinated shutdown", "shutting down shards", "Marked address",
        "Exiting completed", "Remoting shut down."];
}

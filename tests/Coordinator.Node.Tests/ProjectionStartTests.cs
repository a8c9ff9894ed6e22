using System.Text;
using Coordinator.Cluster.Views;
using Coordinator.Node.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Coordinator.Node.Tests;

/// <summary>
/// A restarted node with a desk's worth of inquiries serves reports and leads as soon as it has read the token registry:
/// authentication does not wait for the family desk or the board, whose routes answer 503 Unavailable with Retry-After
/// until their projections are current, never an empty answer.
/// </summary>
public class ProjectionStartTests
{
    private const int Inquiries = 6_000;

    [Fact]
    public async Task Reports_and_leads_are_served_before_the_family_desk_has_read_the_journal_and_its_routes_answer_503_until_then()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var node = await NodeUnderTest.StartAsync();
        await node.EnterCellAsync();
        var csv = new StringBuilder("id,name,fatherName,birthYear,homeTown\n");
        for (var i = 0; i < Inquiries; i++) csv.Append($"inq-{i},Mohammad Ahmad {i % 97},Khalil,{1950 + i % 50},Homs\n");
        using (var content = new StringContent(csv.ToString(), Encoding.UTF8, "text/csv"))
        using (var desk = node.Client(NodeUnderTest.BootstrapToken))
        {
            desk.Timeout = TimeSpan.FromMinutes(3); // thousands of inquiries on a busy machine
            Assert.True((await desk.PostAsync("/api/inquiries/import", content, ct)).IsSuccessStatusCode);
        }
        await node.StopAsync();
        // The checkpoints' file held by another connection: the operations and family projections wait to read it as a
        // large journal would keep them folding, while the access projection (no checkpoint) reads the token registry.
        var checkpoints = Path.Combine(node.DataFolder, $"coordinator{CheckpointStore.SqliteSuffix}.db");
        foreach (var file in new[] { checkpoints, checkpoints + "-wal", checkpoints + "-shm" }) File.Delete(file);
        var held = new SqliteConnection($"Data Source={checkpoints};Pooling=False");
        held.Open();
        using (var begin = held.CreateCommand())
        {
            begin.CommandText = "BEGIN EXCLUSIVE";
            begin.ExecuteNonQuery();
        }

        await node.StartAgainAsync(settled: false);
        var ready = (await node.Get("/healthz/ready")).Body!;
        Assert.Equal("current", (string)ready["projections"]!["access"]!);
        // A field unit's report and a lead's command are answered now.
        Assert.Equal(200, (await node.Post("/api/reports", new
        {
            reportId = "r-after-restart",
            teamId = "SAR-1",
            facilityId = "saydnaya",
            sectorId = "B1-1",
            kind = "Cleared",
            method = "Visual",
        })).Status);
        Assert.Equal(201, (await node.Post("/api/teams", new { id = "SAR-9", callSign = "Nine", size = 4, capabilities = new[] { "Search" } }))
            .Status);
        // The desk and the board are told to come back, with the reason, never given an empty list.
        // (The lock holds them only while SQLite's busy wait lasts: on a slow machine one may be current already.)
        foreach (var (path, projection, name) in new[]
                 { ("/api/inquiries/inq-7/candidates", "family desk", "family"), ("/api/board", "operations", "operations") })
        {
            using var early = await node.Http.GetAsync(path, ct);
            if (early.IsSuccessStatusCode)
            {
                // Answered only once current (it stays current): never while still replaying.
                Assert.Equal("current", (string?)(await node.Get("/healthz/ready")).Body?["projections"]?[name]);
                continue;
            }
            Assert.Equal(503, (int)early.StatusCode);
            Assert.NotNull(early.Headers.RetryAfter);
            var problem = await early.Content.ReadAsStringAsync(ct);
            Assert.Contains("\"Unavailable\"", problem);
            Assert.Contains(projection, problem);
        }
        held.Dispose();

        await Until(node, "family");
        Assert.Equal(200, (await node.Get("/api/inquiries/inq-7/candidates")).Status);

        // Restarted again, it starts from the checkpoint stored once it was current, and holds every inquiry.
        await node.StopAsync();
        await node.StartAgainAsync();
        Assert.Equal("Mohammad Ahmad 7", (string)(await node.Get("/api/inquiries/inq-7")).Body!["details"]!["name"]!);
    }

    private static async Task Until(NodeUnderTest node, string projection)
    {
        var until = DateTime.UtcNow.AddSeconds(60);
        while ((string?)(await node.Get("/healthz/ready")).Body?["projections"]?[projection] != "current")
        {
            if (DateTime.UtcNow > until) throw new TimeoutException($"the {projection} projection not current in 60 s");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }
}

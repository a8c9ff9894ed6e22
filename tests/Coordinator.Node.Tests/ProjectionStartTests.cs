using System.Text;
using Coordinator.Cluster.Views;
using Coordinator.Node.Tests.Support;

namespace Coordinator.Node.Tests;

/// <summary>
/// A restarted node with a desk's worth of inquiries serves reports and leads as soon as it has read the token registry:
/// authentication does not wait for the family desk, whose routes answer 503 Unavailable with Retry-After until its
/// projection is current, never an empty answer.
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
        // Without its checkpoints the family desk folds the whole journal again: the longest start there is.
        File.Delete(Path.Combine(node.DataFolder, $"coordinator{CheckpointStore.SqliteSuffix}.db"));

        await node.StartAgainAsync(settled: false);
        var ready = (await node.Get("/healthz/ready")).Body!;
        Assert.Equal("current", (string)ready["projections"]!["access"]!);
        Assert.Equal("replaying", (string)ready["projections"]!["family"]!);
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
        // The desk is told to come back, with the reason, never given an empty list.
        using var early = await node.Http.GetAsync("/api/inquiries/inq-7/candidates", ct);
        Assert.Equal(503, (int)early.StatusCode);
        Assert.NotNull(early.Headers.RetryAfter);
        Assert.Contains("\"Unavailable\"", await early.Content.ReadAsStringAsync(ct));
        Assert.Contains("family desk", await early.Content.ReadAsStringAsync(ct));

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

using Coordinator.Node.Tests.Support;

namespace Coordinator.Node.Tests;

/// <summary>/metrics in Prometheus text format, as a scraper reads it from a running node.</summary>
public class MetricsTests : IAsyncLifetime
{
    private NodeUnderTest _node = null!;

    public async ValueTask InitializeAsync() => _node = await NodeUnderTest.StartAsync();
    public async ValueTask DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task Reports_commands_journal_writes_entities_cluster_and_stream_clients_are_measured()
    {
        await _node.Post("/api/facilities", new { id = "adra", name = "Adra" });
        await _node.Put("/api/facilities/adra/layout",
            new { sectors = new object[] { new { id = "B1", kind = "Level" }, new { id = "B1-1", parent = "B1", kind = "Cell" } } });
        await _node.Post("/api/teams", new { id = "SAR-1", callSign = "S", size = 5, capabilities = new[] { "Search" } });
        await _node.Post("/api/assignments", new { teamId = "SAR-1", facilityId = "adra", sectorId = "B1-1" });
        Assert.Equal(200, (await _node.Post("/api/reports",
            new { reportId = "r-1", teamId = "SAR-1", facilityId = "adra", sectorId = "B1-1", kind = "Entered" })).Status);
        Assert.Equal(409, (await _node.Post("/api/reports",
            new { reportId = "r-2", teamId = "SAR-1", facilityId = "adra", sectorId = "B1-1", kind = "Entered" })).Status);
        await using var stream = await SseClient.ConnectAsync(_node.BaseAddress, "/api/stream", NodeUnderTest.BootstrapToken);

        using var anonymous = _node.Client(null); // scrapers carry no token; the page holds counts only
        var deadline = DateTime.UtcNow.AddSeconds(20);
        string text;
        while (!(text = await anonymous.GetStringAsync("/metrics", TestContext.Current.CancellationToken)).Contains("coordinator_stream_clients")
               && DateTime.UtcNow < deadline)
            await Task.Delay(100, TestContext.Current.CancellationToken);
        Assert.Contains("coordinator_reports_total{", text);
        Assert.Contains("outcome=\"Accepted\"", text);
        Assert.Contains("outcome=\"SectorNotAwaitingEntry\"", text);
        Assert.Contains("coordinator_command_duration_milliseconds_bucket", text);
        Assert.Contains("coordinator_journal_write_duration_milliseconds_bucket", text);
        Assert.Contains("coordinator_entities_live{", text);
        Assert.Contains("coordinator_cluster_members", text);
        Assert.Contains("http_server_request_duration_seconds", text);
        Assert.DoesNotContain("SAR-1", text);
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Coordinator.Node.Tests.Support;

namespace Coordinator.Node.Tests;

/// <summary>
/// The live streams take no token in their URL: a browser opens them with a single-use ticket that carries its
/// token's claims, so the stream still ends with the token.
/// </summary>
public class StreamTicketTests : IAsyncLifetime
{
    private NodeUnderTest _node = null!;

    public async ValueTask InitializeAsync() => _node = await NodeUnderTest.StartAsync();
    public async ValueTask DisposeAsync() => await _node.DisposeAsync();

    private async Task<(string Token, string Id)> Issue(string role)
    {
        var (status, body) = await _node.Post("/api/tokens", new { role, expires = "1h" });
        Assert.Equal(201, status);
        return ((string)body!["token"]!, (string)body["id"]!);
    }

    private async Task<string> Ticket(string token, string stream)
    {
        using var http = _node.Client(token);
        using var response = await http.PostAsJsonAsync($"{stream}/ticket", new { }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
        Assert.True(DateTimeOffset.Parse((string)body["expiresAt"]!) <= DateTimeOffset.UtcNow.AddSeconds(61));
        return (string)body["ticket"]!;
    }

    /// <summary>A GET with no Authorization header, as an EventSource sends it.</summary>
    private async Task<HttpStatusCode> Open(string pathAndQuery)
    {
        using var http = _node.Client(null);
        using var response = await http.GetAsync(pathAndQuery, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        return response.StatusCode;
    }

    [Fact]
    public async Task A_ticket_opens_its_stream_once_and_the_token_is_never_taken_from_the_url()
    {
        var (token, _) = await Issue("monitor");
        var ticket = await Ticket(token, "/api/stream");
        await using (var stream = await SseClient.ConnectAsync(_node.BaseAddress, $"/api/stream?ticket={Uri.EscapeDataString(ticket)}", null))
        {
            Assert.Equal(201, (await _node.Post("/api/facilities", new { id = "adra", name = "Adra" })).Status);
            var facility = await stream.UntilAsync(e => e.Event == "facility", TimeSpan.FromSeconds(10));
            Assert.Equal("adra", (string)facility[^1].Data!["facility"]!);
        }
        Assert.Equal(HttpStatusCode.Unauthorized, await Open($"/api/stream?ticket={Uri.EscapeDataString(ticket)}"));
        Assert.Equal(HttpStatusCode.Unauthorized, await Open($"/api/stream?access_token={Uri.EscapeDataString(token)}"));
        Assert.Equal(HttpStatusCode.Unauthorized, await Open("/api/stream?ticket=forged.123.e30.x"));
    }

    [Fact]
    public async Task A_ticket_opens_only_the_stream_it_was_asked_for_by_a_role_that_may_read_it()
    {
        var (monitor, _) = await Issue("monitor");
        var (desk, _) = await Issue("familydesk");
        using (var http = _node.Client(monitor))
        using (var refused = await http.PostAsJsonAsync("/api/family/stream/ticket", new { }, TestContext.Current.CancellationToken))
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var family = await Ticket(desk, "/api/family/stream");
        Assert.Equal(HttpStatusCode.Unauthorized, await Open($"/api/stream?ticket={Uri.EscapeDataString(family)}"));
        await using var stream = await SseClient.ConnectAsync(_node.BaseAddress,
            $"/api/family/stream?ticket={Uri.EscapeDataString(await Ticket(desk, "/api/family/stream"))}", null);
    }

    [Fact]
    public async Task A_stream_opened_with_a_ticket_ends_with_its_token_and_a_revoked_token_s_ticket_opens_nothing()
    {
        var (token, id) = await Issue("familydesk");
        var spare = await Ticket(token, "/api/family/stream");
        await using var stream = await SseClient.ConnectAsync(_node.BaseAddress,
            $"/api/family/stream?ticket={Uri.EscapeDataString(await Ticket(token, "/api/family/stream"))}", null);
        Assert.Equal(200, (await _node.Post($"/api/tokens/{id}/revoke")).Status);

        var ended = await stream.UntilAsync(e => e.Event == "ended", TimeSpan.FromSeconds(5));
        Assert.Equal("TokenRevoked", (string)ended[^1].Data!["reason"]!);
        Assert.Equal(HttpStatusCode.Unauthorized, await Open($"/api/family/stream?ticket={Uri.EscapeDataString(spare)}"));
    }
}

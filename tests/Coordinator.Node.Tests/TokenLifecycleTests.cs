using System.Net;
using System.Text.Json.Nodes;
using Coordinator.Node.Tests.Support;
using Microsoft.Playwright;

namespace Coordinator.Node.Tests;

/// <summary>
/// A token's end reaches everything it opened: live streams close at its expiry and within seconds of its
/// revocation, a token holds a bounded number of streams, and a restarted node never lets a revoked token pass.
/// </summary>
public class TokenLifecycleTests : IAsyncLifetime
{
    private NodeUnderTest _node = null!;

    public async ValueTask InitializeAsync() => _node = await NodeUnderTest.StartAsync("--Coordinator:Stream:MaxPerToken=2");
    public async ValueTask DisposeAsync() => await _node.DisposeAsync();

    private async Task<(string Token, string Id)> Issue(string role, string expires = "1h")
    {
        var (status, body) = await _node.Post("/api/tokens", new { role, expires });
        Assert.Equal(201, status);
        return ((string)body!["token"]!, (string)body["id"]!);
    }

    [Theory]
    [InlineData("/api/stream", "monitor")]
    [InlineData("/api/family/stream", "familydesk")]
    public async Task A_stream_ends_within_seconds_of_its_token_s_revocation(string path, string role)
    {
        var (token, id) = await Issue(role);
        await using var stream = await SseClient.ConnectAsync(_node.BaseAddress, path, token);
        Assert.Equal(200, (await _node.Post($"/api/tokens/{id}/revoke")).Status);

        var ended = await stream.UntilAsync(e => e.Event == "ended", TimeSpan.FromSeconds(5));
        Assert.Equal("TokenRevoked", (string)ended[^1].Data!["reason"]!);
        Assert.Null(await stream.NextAsync(TimeSpan.FromSeconds(5))); // closed by the node, not waiting
    }

    [Fact]
    public async Task A_stream_ends_when_its_token_expires()
    {
        var (token, _) = await Issue("monitor", "3s");
        await using var stream = await SseClient.ConnectAsync(_node.BaseAddress, "/api/stream", token);
        var ended = await stream.UntilAsync(e => e.Event == "ended", TimeSpan.FromSeconds(10));
        Assert.Equal("TokenExpired", (string)ended[^1].Data!["reason"]!);
    }

    [Fact]
    public async Task One_token_holds_a_bounded_number_of_streams_and_a_closed_one_frees_its_place()
    {
        var (token, _) = await Issue("monitor");
        await using var first = await SseClient.ConnectAsync(_node.BaseAddress, "/api/stream", token);
        var second = await SseClient.ConnectAsync(_node.BaseAddress, "/api/stream", token);
        using (var http = _node.Client(token))
        {
            using var third = await http.GetAsync("/api/stream", HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
            Assert.Equal("TooManyStreams",
                (string)JsonNode.Parse(await third.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!["code"]!);
        }
        var (other, _) = await Issue("monitor");
        await using var others = await SseClient.ConnectAsync(_node.BaseAddress, "/api/stream", other); // the bound is per token

        await second.DisposeAsync();
        var until = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            using var http = _node.Client(token);
            using var again = await http.GetAsync("/api/stream", HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
            if (again.StatusCode == HttpStatusCode.OK) break;
            Assert.True(DateTime.UtcNow < until, "the closed stream's place was never freed");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task A_restarted_node_refuses_a_revoked_token_before_and_after_it_is_ready()
    {
        var (token, id) = await Issue("lead");
        // Enough journal for the restarted view to take a moment over it, the revocation last.
        for (var i = 0; i < 200; i++) Assert.Equal(201,
            (await _node.Post("/api/teams", new { id = $"T-{i}", callSign = $"T{i}", size = 2, capabilities = new[] { "Search" } })).Status);
        Assert.Equal(200, (await _node.Post($"/api/tokens/{id}/revoke")).Status);
        await _node.StopAsync();

        var statuses = new List<int>();
        using var stop = new CancellationTokenSource();
        var poller = Task.Run(async () =>
        {
            using var http = _node.Client(token);
            while (!stop.IsCancellationRequested)
            {
                try { statuses.Add((int)(await http.GetAsync("/api/teams", stop.Token)).StatusCode); }
                catch (Exception e) when (e is HttpRequestException or OperationCanceledException) { } // not listening yet
            }
        }, TestContext.Current.CancellationToken);
        await _node.StartAgainAsync();
        var ready = (await _node.Get("/healthz/ready")).Body!;
        Assert.Equal("current", (string)ready["checks"]!["access"]!);
        var afterReady = statuses.Count;
        while (statuses.Count < afterReady + 5) await Task.Delay(10, TestContext.Current.CancellationToken);
        await stop.CancelAsync();
        await poller;

        Assert.DoesNotContain(200, statuses);
        Assert.All(statuses, s => Assert.True(s is 401 or 503, $"the revoked token got {s}"));
        Assert.Equal(401, statuses[^1]);
    }

    [Fact]
    public async Task The_bootstrap_secret_is_refused_while_an_admin_token_is_in_force()
    {
        var (admin, adminId) = await Issue("admin");
        await Until(async () => (await _node.Get("/api/teams")).Status == 401, "the bootstrap secret to be retired");
        using var byAdmin = _node.Client(admin);
        using var lead = await byAdmin.PostAsync("/api/tokens",
            JsonContent(new { role = "lead", expires = "1h" }), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, lead.StatusCode); // the admin carries on where the bootstrap left off

        Assert.Equal(HttpStatusCode.OK, (await byAdmin.PostAsync($"/api/tokens/{adminId}/revoke", null,
            TestContext.Current.CancellationToken)).StatusCode);
        await Until(async () => (await _node.Get("/api/teams")).Status == 200, "the bootstrap secret to work again once no admin token is in force");
    }

    /// <summary>
    /// Requests with the bootstrap secret all pass the node's check while its view has no admin yet; the token
    /// registry decides, one command at a time, so one admin token is minted and nothing after it.
    /// </summary>
    [Fact]
    public async Task Racing_the_bootstrap_secret_against_the_first_admin_mints_one_admin_and_nothing_after_it()
    {
        var ct = TestContext.Current.CancellationToken;
        var roles = Enumerable.Range(0, 24).Select(i => i % 2 == 0 ? "admin" : "lead").ToList();
        var answers = await Task.WhenAll(roles.Select(role => _node.Post("/api/tokens", new { role, expires = "30d" })));

        TestContext.Current.TestOutputHelper?.WriteLine(string.Join(", ", answers.GroupBy(a => a.Status).Select(g => $"{g.Key}: {g.Count()}")));
        var admins = answers.Where((a, i) => roles[i] == "admin" && a.Status == 201).ToList();
        var admin = Assert.Single(admins);
        Assert.All(answers.Where(a => a.Status != 201), a => Assert.True(
            a.Status == 401 || (a.Status == 409 && (string)a.Body!["code"]! == "BootstrapRetired"), $"{a.Status} {a.Body}"));

        using var byAdmin = _node.Client((string)admin.Body!["token"]!);
        var issued = JsonNode.Parse(await byAdmin.GetStringAsync("/api/tokens", ct))!.AsArray();
        var adminIssuedAt = DateTimeOffset.Parse((string)issued.Single(t => (string)t!["role"]! == "admin")!["issuedAt"]!);
        Assert.Equal(answers.Count(a => a.Status == 201), issued.Count);
        Assert.All(issued, t => Assert.True(DateTimeOffset.Parse((string)t!["issuedAt"]!) <= adminIssuedAt, $"{t} minted after the admin"));

        Assert.True((await _node.Post("/api/tokens", new { role = "field", team = "K9-1" })).Status is 401 or 409);
        Assert.Equal(issued.Count, JsonNode.Parse(await byAdmin.GetStringAsync("/api/tokens", ct))!.AsArray().Count);
    }

    private static StringContent JsonContent(object body) => new(NodeUnderTest.Json(body), System.Text.Encoding.UTF8, "application/json");

    private static async Task Until(Func<Task<bool>> condition, string what)
    {
        var until = DateTime.UtcNow.AddSeconds(20);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < until, $"waited 20 s for {what}");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    [Theory]
    [InlineData("en-US", "Your token was revoked")]
    [InlineData("ar-SY", "أُلغي رمز الدخول")]
    public async Task A_page_whose_token_is_revoked_asks_to_sign_in_again_and_says_why(string locale, string said)
    {
        var (token, id) = await Issue("monitor");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Support.Chromium.LaunchAsync(playwright);
        var viewport = new ViewportSize { Width = 1400, Height = 900 };
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = viewport, Locale = locale });
        var cspViolations = await Support.Chromium.CspViolations(page);
        await page.GotoAsync(_node.BaseAddress.ToString());
        await page.FillAsync("#token", token);
        await page.ClickAsync("#sign-in button");
        await Assertions.Expect(page.Locator("#connection")).ToHaveAttributeAsync("data-i18n", "common.connection.live");

        Assert.Equal(200, (await _node.Post($"/api/tokens/{id}/revoke")).Status);
        await Assertions.Expect(page.Locator("#sign-in")).ToBeVisibleAsync(new() { Timeout = 10_000 });
        await Assertions.Expect(page.Locator("#sign-in-error")).ToContainTextAsync(said);
        Assert.Null(await page.EvaluateAsync<string?>("() => localStorage.getItem('coordinator.token')")); // not tried again
        Assert.Empty(cspViolations);
    }
}

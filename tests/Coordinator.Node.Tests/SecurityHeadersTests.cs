using Coordinator.Node.Tests.Support;

namespace Coordinator.Node.Tests;

/// <summary>Every answer — pages, static files, the field app, API answers and refusals, the report, probes, metrics — carries the security
/// headers.</summary>
public class SecurityHeadersTests : IAsyncLifetime
{
    private NodeUnderTest _node = null!;

    public async ValueTask InitializeAsync() => _node = await NodeUnderTest.StartAsync();
    public async ValueTask DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task Every_kind_of_answer_carries_the_policy_nosniff_and_no_referrer()
    {
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal(201, (await _node.Post("/api/facilities", new { id = "saydnaya", name = "Saydnaya" })).Status);
        // The report reads the live view, which trails the registration by a moment.
        for (var deadline = DateTime.UtcNow.AddSeconds(20); (await _node.Http.GetAsync("/facilities/saydnaya/report",
            ct)).StatusCode != System.Net.HttpStatusCode.OK && DateTime.UtcNow < deadline;)
            await Task.Delay(100, ct);
        (string Path, bool Signed, int Status)[] routes =
        [
            ("/", false, 200), ("/index.html", false, 200), ("/family.html", false, 200), ("/app.js", false, 200), ("/app.css", false, 200),
            ("/report.css", false, 200), ("/field/", false, 200), ("/field/sw.js", false, 200), ("/field/manifest.webmanifest", false, 200),
            ("/api/facilities", true, 200), ("/api/facilities", false, 401), ("/api/no-such-route", true, 404), ("/no-such-page.html", false, 404),
            ("/api/facilities/no-such", true, 404), ("/facilities/saydnaya/report", true, 200),
                ("/healthz/ready", false, 200), ("/metrics", false, 200),
        ];
        using var signed = _node.Client(NodeUnderTest.BootstrapToken);
        using var anonymous = _node.Client(null);
        foreach (var (path, isSigned, status) in routes)
        {
            using var response = await (isSigned ? signed : anonymous).GetAsync(path, ct);
            Assert.True(status == (int)response.StatusCode, $"{path}: {(int)response.StatusCode}, expected {status}");
            Assert.True(response.Headers.TryGetValues("Content-Security-Policy", out var csp), $"{path}: no Content-Security-Policy");
            Assert.Equal("default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'", Assert.Single(csp));
            Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
            Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        }
    }

    [Theory]
    [InlineData("a 10 kB path", 414, "UriTooLong")]
    [InlineData("a 100 kB header", 431, "HeadersTooLarge")]
    [InlineData("150 header fields", 431, "HeadersTooLarge")]
    public async Task A_request_head_over_the_limits_is_refused_with_the_headers_too(string what, int status, string code)
    {
        var head = what switch
        {
            "a 10 kB path" => $"GET /{new string('a', 10_000)} HTTP/1.1\r\nHost: x\r\n",
            "a 100 kB header" => $"GET / HTTP/1.1\r\nHost: x\r\nX-Big: {new string('a', 100_000)}\r\n",
            _ => "GET / HTTP/1.1\r\nHost: x\r\n" + string.Concat(Enumerable.Range(0, 150).Select(i => $"X-Field-{i}: {i}\r\n")),
        };
        var answer = await RawAsync(head + "Connection: close\r\n\r\n");
        Assert.StartsWith($"HTTP/1.1 {status} ", answer);
        Assert.Contains($"\"code\":\"{code}\"", answer);
        Assert.Contains("Content-Security-Policy: default-src 'self'; frame-ancestors 'none'", answer);
        Assert.Contains("X-Content-Type-Options: nosniff", answer);
        Assert.Contains("Referrer-Policy: no-referrer", answer);
    }

    /// <summary>What the node answers to bytes sent as they are on a fresh connection, read until it closes.</summary>
    private async Task<string> RawAsync(string request)
    {
        var ct = TestContext.Current.CancellationToken;
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(System.Net.IPAddress.Loopback, _node.Port, ct);
        var stream = tcp.GetStream();
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(request), ct);
        using var reader = new StreamReader(stream, System.Text.Encoding.UTF8);
        return await reader.ReadToEndAsync(ct).WaitAsync(TimeSpan.FromSeconds(20), ct);
    }

    [Fact]
    public async Task Only_the_api_docs_allow_inline_scripts()
    {
        using var anonymous = _node.Client(null);
        using var docs = await anonymous.GetAsync("/api-docs/index.html", TestContext.Current.CancellationToken);
        Assert.Contains("'unsafe-inline'", Assert.Single(docs.Headers.GetValues("Content-Security-Policy")));
        Assert.Contains("frame-ancestors 'none'", Assert.Single(docs.Headers.GetValues("Content-Security-Policy")));
    }

    [Fact]
    public void No_page_has_inline_script_style_or_handlers()
    {
        foreach (var (name, text) in Pages.Ending(".html"))
        {
            Assert.DoesNotMatch(@"<script(?![^>]*\bsrc=)", text);
            Assert.DoesNotMatch(@"<style|\sstyle=|\son[a-z]+=", text);
        }
    }
}

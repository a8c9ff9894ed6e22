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

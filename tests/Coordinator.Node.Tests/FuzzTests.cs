using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Coordinator.Node.Tests.Support;

namespace Coordinator.Node.Tests;

/// <summary>
/// Generated hostile and broken requests against every route group — facilities, teams, reports, live views and
/// streams, the family desk, tokens, enrolments, cluster control (bounded: 20,000 requests, at most 2 minutes):
/// no 5xx, the seeded record untouched by anything refused, the node healthy after, and every acknowledged
/// write still readable.
/// </summary>
public class FuzzTests : IAsyncLifetime
{
    private NodeUnderTest _node = null!;

    public async ValueTask InitializeAsync() => _node = await NodeUnderTest.StartAsync();
    public async ValueTask DisposeAsync() => await _node.DisposeAsync();

    private static readonly string[] Routes =
    [
        "POST /api/facilities", "GET /api/facilities", "GET /api/facilities/{f}",
            "PUT /api/facilities/{f}/layout", "POST /api/facilities/{f}/sectors",
        "GET /api/facilities/{f}/sectors/{s}", "GET /api/facilities/{f}/sectors/{s}/history", "POST /api/facilities/{f}/sectors/{s}/reopen",
        "POST /api/facilities/{f}/signoff", "POST /api/teams", "GET /api/teams", "GET /api/teams/{t}", "POST /api/assignments",
        "POST /api/teams/{t}/recall", "POST /api/teams/{t}/status", "POST /api/reports", "GET /api/board", "GET /api/alerts",
        "GET /api/facilities/{f}/sectors", "GET /api/facilities/{f}/coverage", "GET /facilities/{f}/report", "POST /api/tokens",
        "GET /api/tokens", "POST /api/tokens/{k}/revoke", "GET /api/audit", "POST /api/reports/batch",
        // streams: answered with their headers, then left
        "GET /api/stream", "GET /api/stream?facility={f}", "GET /api/family/stream",
        "POST /api/stream/ticket", "POST /api/family/stream/ticket", "GET /api/stream?ticket={q}", "GET /api/family/stream?ticket={q}",
        // family desk
        "GET /api/persons?query={q}", "GET /api/persons/{p}", "POST /api/persons/{p}/corrections", "GET /api/persons/{p}/candidates",
        "POST /api/inquiries", "GET /api/inquiries", "GET /api/inquiries/{i}", "POST /api/inquiries/{i}/close", "GET /api/inquiries/{i}/candidates",
        "POST /api/inquiries/{i}/matches", "GET /api/family/export/matches.csv", "GET /api/family/export/inquiries.csv",
        "POST /api/persons/{p}/erase", "POST /api/inquiries/{i}/erase", "POST /api/persons/{p}/notice", "POST /api/inquiries/{i}/informed",
        // (claim and release take no body: on the seeded inquiry a claim would be accepted, not refused)
        "GET /api/inquiries/{i}/contact", "GET /api/family/queue", "POST /api/inquiries/import",
        "GET /api/family/queue?days={q}", "POST /api/inquiries/{i}/slip-link", "GET /family/inquiries/{i}/slip?ticket={q}",
        "POST /api/facilities/{f}/notice-board-link", "GET /facilities/{f}/notice-board?ticket={q}",
        // enrolments and cluster control (never this node's own address: a fuzzed leave must not stop the node under test)
        "POST /api/enrolments", "POST /api/enrolments/redeem", "GET /api/admin/cluster", "GET /api/admin/cluster/shards",
        "GET /api/admin/cluster/actors", "POST /api/admin/cluster/leave", "POST /api/admin/cluster/down",
    ];

    private static readonly string[] BadIds = ["", " ", "a b", "../etc", "%00", "%2F", new string('x', 65), "صيدنايا",
        "'; DROP TABLE journal;--", "<script>", "-", "B2/../C"];
    private static readonly string[] Seeded = ["fz", "C-1", "FZ-1", "inq-fz"];

    [Fact]
    public async Task Twenty_thousand_malformed_random_boundary_and_oversized_requests_get_no_5xx_and_corrupt_nothing()
    {
        Assert.Equal(201, (await _node.Post("/api/facilities", new { id = "fz", name = "Fuzz target" })).Status);
        Assert.Equal(200, (await _node.Put("/api/facilities/fz/layout",
            new { sectors = new object[] { new { id = "L", kind = "Level" }, new { id = "C-1", parent = "L", kind = "Cell" } } })).Status);
        Assert.Equal(201, (await _node.Post("/api/teams", new { id = "FZ-1", callSign = "F", size = 2, capabilities = new[] { "Search" } })).Status);
        Assert.Equal(201, (await _node.Post("/api/inquiries",
            new { id = "inq-fz", name = "محمد الحلبي", altNames = new[] { "Mohamed Al-Halabi" }, birthYear = 1980 })).Status);
        var before = await State();

        var random = new Random(20241208);
        var requests = Enumerable.Range(0, 20_000).Select(_ => Generate(random)).ToList();
        var failures = new ConcurrentBag<string>();
        var acknowledged = new ConcurrentBag<string>();
        var sent = 0;
        var clock = Stopwatch.StartNew();
        using var authorized = _node.Client(NodeUnderTest.BootstrapToken);
        using var anonymous = _node.Client(null);
        using var garbage = _node.Client("eyJhbGciOiJub25lIn0.eyJyb2xlIjoibGVhZCJ9.");
        await Parallel.ForEachAsync(requests,
            new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = TestContext.Current.CancellationToken }, async (r, ct) =>
        {
            if (clock.Elapsed > TimeSpan.FromMinutes(2)) return;
            Interlocked.Increment(ref sent);
            var http = r.Caller switch { 0 => anonymous, 1 => garbage, _ => authorized };
            using var request = new HttpRequestMessage(new HttpMethod(r.Method), r.Path);
            if (r.Body is not null) request.Content = new StringContent(r.Body, Encoding.UTF8, r.ContentType);
            try
            {
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
                var status = (int)response.StatusCode;
                if (status >= 500) failures.Add($"{status} {r.Method} {r.Path} {Trim(r.Body)}");
                if (status is 200 or 201 && r.Method != "GET" && r.Path == "/api/facilities" && r.Body is not null
                    && JsonNode.Parse(r.Body) is JsonObject o)
                    acknowledged.Add((string)o["id"]!);
            }
            catch (HttpRequestException e) { failures.Add($"connection failed: {r.Method} {r.Path}: {e.Message}"); }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
                failures.Add($"no answer in 30 s: {r.Method} {r.Path} {Trim(r.Body)}");
            }
        });
        Assert.True(clock.Elapsed < TimeSpan.FromMinutes(2.5), $"took {clock.Elapsed}");
        Assert.Equal(requests.Count, sent);
        Assert.True(failures.IsEmpty, string.Join("\n", failures.Take(20)));
        Assert.Equal(200, (await _node.Get("/healthz/ready")).Status);
        Assert.Equal(before, await State());
        foreach (var id in acknowledged) Assert.Equal(200, (await _node.Get($"/api/facilities/{id}")).Status);
        TestContext.Current.SendDiagnosticMessage(
            $"{requests.Count} requests in {clock.Elapsed.TotalSeconds:0} s; {acknowledged.Count} facilities acknowledged");
    }

    [Fact]
    public async Task Every_integer_or_boolean_parameter_that_does_not_bind_is_refused_with_a_code_naming_it()
    {
        var ct = TestContext.Current.CancellationToken;
        using var http = _node.Client(NodeUnderTest.BootstrapToken);
        var document = JsonNode.Parse(await http.GetStringAsync("/openapi/v1.json", ct))!.AsObject();
        var walked = new List<string>();
        foreach (var (route, operation) in OpenApiDocument.Operations(document))
            foreach (var parameter in operation["parameters"]?.AsArray() ?? [])
            {
                var schemaType = parameter!["schema"]?["type"];
                string?[] types = schemaType is JsonArray many ? [.. many.Select(t => (string?)t)] : [(string?)schemaType];
                string[] bad = types.Contains("integer") ? ["abc", "99999999999", "1.5"] : types.Contains("boolean") ? ["maybe", "2"] : [];
                var (name, where) = ((string)parameter["name"]!, (string)parameter["in"]!);
                foreach (var value in bad)
                {
                    var (method, template) = (route.Split(' ')[0], route.Split(' ')[1]);
                    var path = System.Text.RegularExpressions.Regex.Replace(template, @"\{([^}]+)\}",
                        m => where == "path" && m.Groups[1].Value == name ? value : "x");
                    if (where == "query") path += $"?{name}={value}";
                    using var request = new HttpRequestMessage(new HttpMethod(method), path);
                    if (method != "GET") request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
                    using var response = await http.SendAsync(request, ct);
                    var text = await response.Content.ReadAsStringAsync(ct);
                    Assert.True((int)response.StatusCode == 400, $"{route} {name}={value}: {(int)response.StatusCode} {text}");
                    var problem = JsonNode.Parse(text)!;
                    Assert.True((string?)problem["code"] == "InvalidField", $"{route} {name}={value}: {text}");
                    Assert.Contains($"'{name}' in the {where}", (string?)problem["detail"]);
                    Assert.DoesNotContain(value, (string?)problem["detail"]); // the value may be a name: never echoed
                    Assert.Contains("nosniff", response.Headers.GetValues("X-Content-Type-Options"));
                    walked.Add($"{route} {name}");
                }
            }
        // The family queue's days and limit, the audit's and the persons' limit, alerts' open, a revocation's withIssued.
        Assert.True(walked.Distinct().Count() >= 6, string.Join("\n", walked.Distinct()));
        TestContext.Current.SendDiagnosticMessage(string.Join("\n", walked.Distinct()));
    }

    private sealed record Request(string Method, string Path, string? Body, string ContentType, int Caller);

    private static Request Generate(Random r)
    {
        var route = Routes[r.Next(Routes.Length)].Split(' ');
        string Id() => r.Next(10) switch
        {
            < 3 => BadIds[r.Next(BadIds.Length)],
            < 5 => Seeded[r.Next(Seeded.Length)],
            _ => $"z{r.Next(100_000)}",
        };
        var path = route[1].Replace("{f}", Uri.EscapeDataString(Id())).Replace("{s}", Uri.EscapeDataString(Id()))
            .Replace("{t}", Uri.EscapeDataString(Id())).Replace("{k}", Uri.EscapeDataString(Id()))
            .Replace("{p}", Uri.EscapeDataString(Id())).Replace("{i}", Uri.EscapeDataString(Id())).Replace("{q}", Uri.EscapeDataString(Id()));
        if (r.Next(20) == 0) path += "?format=" + Id() + "&limit=" + r.Next(-5, 99999) + "&team=" + Id();
        var body = route[0] == "GET" && r.Next(10) > 0 ? null : Body(r);
        var contentType = r.Next(15) == 0 ? "text/plain" : "application/json";
        return new Request(route[0], path, body, contentType, r.Next(10) switch { 0 => 0, 1 => 1, _ => 2 });
    }

    /// <summary>Broken, random, boundary and oversized bodies; well-formed ones only ever name fresh ids.</summary>
    private static string Body(Random r)
    {
        string Fresh() => $"n{r.Next(1_000_000)}";
        object?[] values = [null, "", " ", -1, 0, int.MaxValue, long.MinValue, 1e308, true, "Cleared", "cleared", "Flying", new string('x', 3000),
            "صيدنايا", new[] { "Search", "Nope" }, new object(), 3.5,
            new string?[] { "a", null }, new object?[] { null }, "5000000d", "Infinityd", "10675199.02:48:05", "-1h", "\u202Eevil\u202C", "a\u200Bb",
                "\uFEFF", "=cmd|' /C calc'!A0", "\t=1", "akka.tcp://coordinator@10.9.9.9:4053", "not an address"];
        object? V() => values[r.Next(values.Length)];
        return r.Next(18) switch
        {
            0 => "",
            1 => "{",
            2 => "null",
            3 => "[1,2,3]",
            4 => new string('[', 200) + new string(']', 200),
            5 => string.Concat(Enumerable.Repeat("{\"a\":", 100)) + "1" + new string('}', 100),
            6 => "{\"id\":\"" + new string('x', 70_000) + "\"}",
            7 => Encoding.Latin1.GetString(Enumerable.Range(0, r.Next(1, 300)).Select(_ => (byte)r.Next(256)).ToArray()),
            8 => NodeUnderTest.Json(new { id = Fresh(), name = V(), aliases = V(), location = V() }),
            9 => NodeUnderTest.Json(new
            {
                reportId = Fresh(),
                teamId = Fresh(),
                facilityId = Fresh(),
                sectorId = Fresh(),
                kind = V(),
                method = V(),
                alive = V(),
                deceased = V(),
                needs = V(),
                details = V(),
                newSectorId = V()
            }),
            10 => NodeUnderTest.Json(new { sectors = new[] { new { id = Fresh(), parent = V(), kind = V(), name = V(), needs = V() } } }),
            11 => NodeUnderTest.Json(new
            {
                id = Fresh(),
                name = V(),
                altNames = V(),
                fatherName = V(),
                motherName = V(),
                birthYear = V(),
                homeTown = V(),
                lastSeen = V(),
                contact = V()
            }),
            12 => NodeUnderTest.Json(new
            {
                person = r.Next(3) == 0 ? V() : new { name = V(), altNames = V(), age = V() },
                reason = V(),
                personId = V(),
                decision = V(),
                note = V()
            }),
            13 => NodeUnderTest.Json(new { team = r.Next(2) == 0 ? "FZ-1" : V(), expires = V(), tokenExpires = V() }),
            14 => NodeUnderTest.Json(new { code = V(), phone = V() }),
            15 => NodeUnderTest.Json(new { address = V() }),
            16 => NodeUnderTest.Json(new
            {
                reports = r.Next(3) == 0 ? V()
                : new object?[] { null, new { reportId = Fresh(), teamId = V(), facilityId = "fz", sectorId = "C-1", kind = V(), persons = V() } }
            }),
            _ => NodeUnderTest.Json(new
            {
                id = Fresh(),
                callSign = V(),
                size = V(),
                capabilities = V(),
                teamId = Fresh(),
                facilityId = Fresh(),
                sectorId = Fresh(),
                status = V(),
                reason = V(),
                role = V(),
                team = V(),
                expires = V()
            }),
        };
    }

    private static string Trim(string? s) => s is null ? "" : s.Length > 120 ? s[..120] + "…" : s;

    private async Task<string> State()
    {
        var parts = new List<string>();
        foreach (var path in new[] { "/api/facilities/fz", "/api/facilities/fz/sectors/C-1", "/api/facilities/fz/sectors/C-1/history",
            "/api/teams/FZ-1", "/api/inquiries/inq-fz" })
            parts.Add((await _node.Get(path)).Body!.ToJsonString());
        return string.Join("\n", parts);
    }
}

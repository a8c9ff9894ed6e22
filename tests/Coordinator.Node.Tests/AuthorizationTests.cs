using System.Net;
using System.Text;
using Coordinator.Node.Tests.Support;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Coordinator.Node.Tests;

/// <summary>
/// The authorization table of docs/security.md as a test: every route for every kind of caller, with the
/// status it must get, and proof that nothing a refused caller sent changed the record.
/// </summary>
public class AuthorizationTests : IAsyncLifetime
{
    private NodeUnderTest _node = null!;
    private readonly Dictionary<string, string?> _callers = [];

    private const string Lead = "lead", Field = "field", OtherField = "field-other-team", Monitor = "monitor",
        Admin = "admin", FamilyDesk = "familydesk";
    private const string None = "no token", Expired = "expired", OtherKey = "signed with another key", Revoked = "revoked", Garbage = "garbage";

    public async ValueTask InitializeAsync()
    {
        _node = await NodeUnderTest.StartAsync();
        Assert.Equal(201, (await _node.Post("/api/facilities", new { id = "adra", name = "Adra" })).Status);
        Assert.Equal(200, (await _node.Put("/api/facilities/adra/layout", Layout)).Status);
        Assert.Equal(201, (await _node.Post("/api/teams", new { id = "SAR-1", callSign = "S", size = 5, capabilities = new[] { "Search" } })).Status);
        Assert.Equal(201, (await _node.Post("/api/teams",
            new { id = "K9-1", callSign = "K", size = 3, capabilities = new[] { "K9", "Search" } })).Status);
        Assert.Equal(201, (await _node.Post("/api/assignments", new { teamId = "SAR-1", facilityId = "adra", sectorId = "B1-1" })).Status);
        Assert.Equal(200, (await _node.Post("/api/reports", Entered)).Status);
        Assert.Equal(200, (await _node.Post("/api/reports", Persons)).Status);
        Assert.Equal(201, (await _node.Post("/api/inquiries", Inquiry)).Status);

        async Task<string> Issue(string role, string? team = null) =>
            (string)(await _node.Post("/api/tokens", new { role, team, expires = "1h" })).Body!["token"]!;
        _callers[Lead] = await Issue("lead");
        _callers[Field] = await Issue("field", "SAR-1");
        _callers[OtherField] = await Issue("field", "K9-1");
        _callers[Monitor] = await Issue("monitor");
        // Signed like an issued one but not in the registry: a registered admin token would retire the bootstrap these tests set up with.
        _callers[Admin] = Forge(NodeUnderTest.SigningKey, DateTime.UtcNow.AddHours(1), "admin");
        _callers[FamilyDesk] = await Issue("familydesk");
        _callers[None] = null;
        _callers[Garbage] = "not-a-token";
        _callers[Expired] = Forge(NodeUnderTest.SigningKey, DateTime.UtcNow.AddMinutes(-10));
        _callers[OtherKey] = Forge("another-signing-key-0123456789-abcdefghijklmnop", DateTime.UtcNow.AddHours(1));
        var revoked = (await _node.Post("/api/tokens", new { role = "lead", expires = "1h" })).Body!;
        _callers[Revoked] = (string)revoked["token"]!;
        Assert.Equal(200, (await _node.Post($"/api/tokens/{(string)revoked["id"]!}/revoke")).Status);
        // Every node refuses it once its live view has read the revocation.
        var until = DateTime.UtcNow.AddSeconds(20);
        while (await Status(HttpMethod.Get, "/api/board", null, _callers[Revoked]) != 401 && DateTime.UtcNow < until) await Task.Delay(50);
    }

    public async ValueTask DisposeAsync() => await _node.DisposeAsync();

    private static readonly object Layout = new
    {
        sectors = new object[] { new { id = "B1", kind = "Level" },
        new { id = "B1-1", parent = "B1", kind = "Cell" }, new { id = "B1-2", parent = "B1", kind = "Cell" } }
    };
    private static readonly object Entered = new { reportId = "r-in", teamId = "SAR-1", facilityId = "adra", sectorId = "B1-1", kind = "Entered" };
    private static readonly object Persons = new
    {
        reportId = "r-p",
        teamId = "SAR-1",
        facilityId = "adra",
        sectorId = "B1-1",
        kind = "PersonsFound",
        alive = 1,
        details = "Omar, 41, from Douma",
        persons = new[] { new { name = "عمر الدوماني", age = 41, homeTown = "دوما" } }
    };
    private static readonly object Inquiry = new
    {
        id = "inq-1",
        name = "Omar Al-Doumani",
        birthYear = 1984,
        homeTown = "Douma",
        contact = "+90 555 0100"
    };

    /// <summary>A token as an attacker might make it: right shape, wrong key or expired.</summary>
    private static string Forge(string key, DateTime expires, string role = "lead") =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "coordinator",
            Audience = "coordinator",
            NotBefore = expires.AddHours(-2),
            IssuedAt = expires.AddHours(-2),
            Expires = expires,
            Claims = new Dictionary<string, object> { ["jti"] = $"tk-forged-{role}", ["sub"] = $"{role}:tk-forged-{role}", ["role"] = role },
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), SecurityAlgorithms.HmacSha256),
        });

    private static readonly string[] Everyone = [Lead, Field, OtherField, Monitor, Admin, FamilyDesk];
    private static readonly string[] LeadOnly = [Lead];

    /// <summary>Route, body (idempotent or refused by the rules when allowed, so the table itself changes nothing), and who may call it.</summary>
    public static TheoryData<string, string, string> Routes => new()
    {
        { "GET", "/api/facilities", "read" }, { "GET", "/api/facilities/adra", "read" }, { "GET", "/api/facilities/adra/sectors/B1-1", "read" },
        { "GET", "/api/facilities/adra/sectors/B1-1/history", "read" }, { "GET", "/api/teams", "read" }, { "GET", "/api/teams/SAR-1", "read" },
        { "GET", "/api/board", "read" }, { "GET", "/api/alerts", "read" }, { "GET", "/api/facilities/adra/sectors", "read" },
        { "GET", "/api/facilities/adra/coverage", "read" }, { "GET", "/facilities/adra/report", "read" }, { "GET", "/api/stream", "read" },
            { "POST", "/api/stream/ticket", "read" },
        { "POST", "/api/facilities", "manage" }, { "PUT", "/api/facilities/adra/layout", "manage" },
            { "POST", "/api/facilities/adra/sectors", "manage" },
        { "POST", "/api/facilities/adra/sectors/B1-1/reopen", "manage" }, { "POST", "/api/facilities/adra/signoff", "manage" },
        { "POST", "/api/teams", "manage" }, { "POST", "/api/assignments", "manage" }, { "POST", "/api/teams/K9-1/recall", "manage" },
        { "POST", "/api/teams/K9-1/status", "manage" }, { "POST", "/api/reports", "report" },
        { "POST", "/api/reports/batch", "report-batch" }, { "GET", "/api/teams/SAR-1/briefing", "read" }, { "POST", "/api/enrolments", "manage" },
        { "POST", "/api/tokens", "tokens" }, { "GET", "/api/tokens", "tokens" },
            { "POST", "/api/tokens/tk-none/revoke", "tokens" }, { "GET", "/api/audit", "manage" },
        { "GET", "/api/session", "read" }, { "POST", "/api/facilities/adra/report-link", "read" },
        { "GET", "/api/persons?query=Omar", "family" }, { "GET", "/api/persons/p-none", "family" },
            { "POST", "/api/persons/p-none/corrections", "family" },
        { "GET", "/api/persons/p-none/candidates", "family" }, { "POST", "/api/inquiries", "family" }, { "GET", "/api/inquiries", "family" },
        { "GET", "/api/inquiries/inq-1", "family" }, { "POST", "/api/inquiries/inq-none/close", "family" },
            { "GET", "/api/inquiries/inq-1/candidates", "family" },
        { "POST", "/api/inquiries/inq-none/matches", "family" }, { "GET", "/api/family/export/matches.csv", "family" },
        { "GET", "/api/family/export/inquiries.csv", "family" }, { "GET", "/api/family/stream", "family" },
            { "POST", "/api/family/stream/ticket", "family" },
        { "POST", "/api/persons/p-none/notice", "family" }, { "POST", "/api/inquiries/inq-none/informed", "family" },
        { "POST", "/api/inquiries/inq-none/claim", "family" }, { "POST", "/api/inquiries/inq-none/release", "family" },
        { "GET", "/api/inquiries/inq-1/contact", "desk" }, { "GET", "/api/family/queue", "family" }, { "POST", "/api/inquiries/import", "family" },
        { "POST", "/api/inquiries/inq-none/slip-link", "family" }, { "POST", "/api/facilities/adra/notice-board-link", "family" },
        { "POST", "/api/persons/p-none/erase", "erase" }, { "POST", "/api/inquiries/inq-none/erase", "erase" },
        { "GET", "/api/admin/cluster", "admin" }, { "GET", "/api/admin/cluster/shards", "admin" }, { "GET", "/api/admin/cluster/actors", "admin" },
        { "POST", "/api/admin/cluster/leave", "admin" }, { "POST", "/api/admin/cluster/down", "admin" },
        { "POST", "/api/admin/backup", "admin" }, { "GET", "/api/admin/erasure-ledger", "admin" },
    };

    private static object? Body(string method, string path) => (method, path) switch
    {
        ("POST", "/api/facilities") => new { id = "adra", name = "Adra" },
        ("PUT", _) => Layout,
        ("POST", "/api/facilities/adra/sectors") => new { id = "B1-2", parent = "B1", kind = "Cell" },
        ("POST", "/api/facilities/adra/sectors/B1-1/reopen") => new { reason = "test" },
        ("POST", "/api/teams") => new { id = "K9-1", callSign = "K", size = 3, capabilities = new[] { "K9", "Search" } },
        ("POST", "/api/assignments") => new { teamId = "SAR-1", facilityId = "adra", sectorId = "B1-1" },
        ("POST", "/api/teams/K9-1/status") => new { status = "Available" },
        ("POST", "/api/reports") => Entered,
        ("POST", "/api/reports/batch") => new { reports = new[] { Entered } },
        ("POST", "/api/enrolments") => new { team = "SAR-1" },
        ("POST", "/api/tokens") => new { role = "monitor", expires = "5m" },
        ("POST", "/api/inquiries") => Inquiry,
        ("POST", "/api/inquiries/inq-none/close" or "/api/persons/p-none/erase" or "/api/inquiries/inq-none/erase") => new { reason = "test" },
        ("POST", "/api/admin/cluster/leave" or "/api/admin/cluster/down") =>
            new { address = "akka.tcp://coordinator@127.0.0.1:1" }, // not a member: 404
        ("POST", _) => new { },
        _ => null,
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Every_route_answers_each_kind_of_caller_as_the_table_says_and_refusals_change_nothing(string method, string path, string policy)
    {
        var allowed = policy switch
        {
            "read" => Everyone,
            "manage" => LeadOnly,
            "family" => [Lead, FamilyDesk],
            "admin" => [Admin],
            "tokens" => [Lead, Admin],
            "erase" => [Lead, Admin],
            "desk" => [FamilyDesk],
            // Any field token may send a batch: another team's report in it is refused on its own (NotYourTeam), see FieldApiTests.
            "report-batch" => [Lead, Field, OtherField],
            _ => [Lead, Field]
        };
        foreach (var (caller, token) in _callers)
        {
            var before = method == "GET" ? null : await State();
            var status = await Status(new HttpMethod(method), path, Body(method, path), token);
            var expected = allowed.Contains(caller) ? "allowed" : Everyone.Contains(caller) ? "403" : "401";
            var actual = status is 401 or 403 ? status.ToString() : "allowed";
            Assert.True(expected == actual, $"{method} {path} as {caller}: expected {expected}, got {status}");
            Assert.True(status < 500, $"{method} {path} as {caller}: {status}");
            if (before is not null && actual != "allowed") Assert.Equal(before, await State());
        }
    }

    [Fact]
    public async Task A_field_token_reports_only_for_its_own_team_and_only_leads_and_the_family_desk_see_persons_details()
    {
        Assert.Equal(403, await Status(HttpMethod.Post, "/api/reports",
            new { reportId = "x1", teamId = "SAR-1", facilityId = "adra", sectorId = "B1-1", kind = "Entered" }, _callers[OtherField]));
        // K9-1 reporting for itself on a sector it is not assigned to: the sector refuses.
        var (status, problem) = await Send(HttpMethod.Post, "/api/reports",
            new { reportId = "x2", teamId = "K9-1", facilityId = "adra", sectorId = "B1-1", kind = "Cleared", method = "K9" }, _callers[OtherField]);
        Assert.Equal((409, "SectorNotAssignedToTeam"), (status, problem));
        foreach (var (caller, sees) in new[] { (Lead, true), (FamilyDesk, true), (Monitor, false), (Field, false), (Admin, false) })
        {
            using var http = _node.Client(_callers[caller]);
            var history = await http.GetStringAsync("/api/facilities/adra/sectors/B1-1/history", TestContext.Current.CancellationToken);
            Assert.True(history.Contains("Omar, 41, from Douma") == sees, $"{caller} {(sees ? "must" : "must not")} see the details: {history}");
            Assert.True(history.Contains("عمر الدوماني") == sees,
                $"{caller} {(sees ? "must" : "must not")} see the person's name: {history}");
        }
    }

    [Fact]
    public async Task Only_an_admin_makes_or_revokes_a_lead_or_an_admin_and_revoking_can_reach_all_a_token_issued()
    {
        foreach (var role in new[] { "lead", "admin" })
        {
            var before = await State();
            var (status, code) = await Send(HttpMethod.Post, "/api/tokens", new { role, expires = "1h" }, _callers[Lead]);
            Assert.Equal((403, "AdminOnly"), (status, code));
            Assert.Equal(before, await State());
        }
        // An admin makes a lead; that lead makes a monitor and enrols a phone, whose holder... is a field token and cannot issue.
        var (made, madeBody) = await SendJson(HttpMethod.Post, "/api/tokens", new { role = "lead", expires = "1h" }, _callers[Admin]);
        Assert.Equal(201, made);
        var newLead = (string)madeBody!["token"]!;
        var newLeadId = (string)madeBody["id"]!;
        var (_, monitor) = await SendJson(HttpMethod.Post, "/api/tokens", new { role = "monitor", expires = "1h" }, newLead);
        var (_, enrolment) = await SendJson(HttpMethod.Post, "/api/enrolments", new { team = "SAR-1" }, newLead);
        var (_, phone) = await SendJson(HttpMethod.Post, "/api/enrolments/redeem",
            new { code = (string)enrolment!["code"]!, phone = "phone-x" }, null);
        Assert.Equal((403, "AdminOnly"), await Send(HttpMethod.Post, $"/api/tokens/{newLeadId}/revoke?withIssued=true", null, _callers[Lead]));

        Assert.Equal(200, (await SendJson(HttpMethod.Post, $"/api/tokens/{newLeadId}/revoke?withIssued=true", null, _callers[Admin])).Status);
        foreach (var token in new[] { newLead, (string)monitor!["token"]!, (string)phone!["token"]! })
        {
            var until = DateTime.UtcNow.AddSeconds(20);
            while (await Status(HttpMethod.Get, "/api/board", null, token) != 401 && DateTime.UtcNow < until) await Task.Delay(50,
                TestContext.Current.CancellationToken);
            Assert.Equal(401, await Status(HttpMethod.Get, "/api/board", null, token));
        }
        Assert.Equal(200, await Status(HttpMethod.Get, "/api/board", null, _callers[Lead])); // issued by the bootstrap, not by the revoked lead
    }

    [Fact]
    public async Task A_page_asks_whom_its_token_speaks_for()
    {
        foreach (var (caller, role, team) in new[] { (Lead, "lead", null), (Field, "field", "SAR-1"),
            (Monitor, "monitor", null), (FamilyDesk, "familydesk", null) })
        {
            using var http = _node.Client(_callers[caller]);
            var session = System.Text.Json.Nodes.JsonNode.Parse(await http.GetStringAsync("/api/session", TestContext.Current.CancellationToken))!;
            Assert.Equal([role], session["roles"]!.AsArray().Select(r => (string)r!));
            Assert.Equal(team, (string?)session["team"]);
            Assert.StartsWith(role + ":", (string)session["subject"]!);
            Assert.True((DateTimeOffset)session["expiresAt"]! > DateTimeOffset.UtcNow.AddMinutes(50));
        }
    }

    [Fact]
    public async Task The_audit_trail_says_who_did_what_to_which_team_and_sector()
    {
        using var lead = _node.Client(_callers[Lead]);
        Assert.Equal(201, (int)(await lead.PostAsync("/api/teams",
            new StringContent("{\"id\":\"MED-1\",\"callSign\":\"M\",\"size\":2,\"capabilities\":[\"Medical\"]}", Encoding.UTF8, "application/json"),
            TestContext.Current.CancellationToken)).StatusCode);
        var byTeam = await NodeUnderTest.All(lead, "/api/audit?team=SAR-1");
        Assert.Contains(byTeam, e => (string)e!["event"]! == "PersonsFound" && ((string)e["by"]!).StartsWith("bootstrap@"));
        Assert.All(byTeam, e => Assert.Contains("SAR-1", e!.ToJsonString()));
        var bySector = await NodeUnderTest.All(lead, "/api/audit?sector=B1-1");
        Assert.Contains(bySector, e => (string)e!["event"]! == "SectorEntered");
        var byLead = await NodeUnderTest.All(lead, "/api/audit?subject=lead:");
        // The issued lead token registered MED-1 and did nothing else but read the trail, which is logged as a read.
        Assert.Equal("TeamRegistered", (string)byLead.Single(e => (string)e!["event"]! != "PersonRecordsRead")!["event"]!);
        Assert.Contains(byLead, e => (string)e!["event"]! == "PersonRecordsRead" && (string)e["data"]!["purpose"]! == "audit trail");
    }

    [Fact]
    public async Task Past_its_limit_a_token_gets_429_with_Retry_After()
    {
        await using var node = await NodeUnderTest.StartAsync("--Coordinator:Auth:RequestsPerMinute=5");
        using var http = node.Client(NodeUnderTest.BootstrapToken);
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 8; i++)
        {
            last = await http.GetAsync("/api/teams", TestContext.Current.CancellationToken);
            statuses.Add(last.StatusCode);
        }
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        Assert.True(statuses.Take(4).All(s => s == HttpStatusCode.OK), string.Join(",", statuses));
        Assert.Equal(HttpStatusCode.TooManyRequests, last!.StatusCode);
        Assert.NotNull(last.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.OK, (await node.Client(null)
            .GetAsync("/healthz/ready", TestContext.Current.CancellationToken)).StatusCode); // probes are never limited
    }

    private async Task<(int Status, System.Text.Json.Nodes.JsonNode? Body)> SendJson(HttpMethod method, string path, object? body, string? token)
    {
        using var http = _node.Client(token);
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = new StringContent(NodeUnderTest.Json(body), Encoding.UTF8, "application/json");
        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return ((int)response.StatusCode, text.Length == 0 ? null : System.Text.Json.Nodes.JsonNode.Parse(text));
    }

    private async Task<int> Status(HttpMethod method, string path, object? body, string? token) => (await Send(method, path, body, token)).Status;

    private async Task<(int Status, string? Code)> Send(HttpMethod method, string path, object? body, string? token)
    {
        using var http = _node.Client(token);
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = new StringContent(NodeUnderTest.Json(body), Encoding.UTF8, "application/json");
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
        // a stream that was let in stays open: the status says enough
        if (path.EndsWith("/stream", StringComparison.Ordinal)) return ((int)response.StatusCode, null);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        string? code = null;
        try
        {
            code = text.Length > 0 && System.Text.Json.Nodes.JsonNode.Parse(text) is System.Text.Json.Nodes.JsonObject o
            ? (string?)o["code"] : null;
        }
        catch (System.Text.Json.JsonException) { } // the printable report is HTML
        return ((int)response.StatusCode, code);
    }

    private async Task<string> State()
    {
        var parts = new List<string>();
        foreach (var path in new[] { "/api/facilities/adra", "/api/facilities/adra/sectors/B1-1", "/api/facilities/adra/sectors/B1-1/history",
            "/api/facilities/adra/sectors/B1-2", "/api/teams/SAR-1", "/api/teams/K9-1", "/api/inquiries/inq-1" })
        {
            var body = (await _node.Get(path)).Body!;
            if (body is System.Text.Json.Nodes.JsonObject o) { o.Remove("secondsOnSite"); o.Remove("secondsOnDuty"); }
            parts.Add(body.ToJsonString());
        }
        return string.Join("\n", parts);
    }
}

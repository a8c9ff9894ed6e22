using System.Text.Json.Nodes;
using Coordinator.Node.Tests.Support;

namespace Coordinator.Node.Tests;

/// <summary>
/// The family desk over HTTP on a real node: persons named in reports, inquiries, candidates both ways, the
/// desk's decision, corrections kept in the history, the hand-over CSV, the read log, and privacy.
/// </summary>
public class FamilyDeskTests : IAsyncLifetime
{
    private NodeUnderTest _node = null!;
    private HttpClient _desk = null!;
    private string _deskToken = null!;

    public async ValueTask InitializeAsync()
    {
        _node = await NodeUnderTest.StartAsync();
        await _node.EnterCellAsync("B1-1", "B1-2");
        _deskToken = (string)(await _node.Post("/api/tokens", new { role = "familydesk", expires = "1h" })).Body!["token"]!;
        _desk = _node.Client(_deskToken);
    }

    public async ValueTask DisposeAsync()
    {
        _desk.Dispose();
        await _node.DisposeAsync();
    }

    private static readonly object FoundReport = new
    {
        reportId = "r-persons",
        teamId = "SAR-1",
        facilityId = "saydnaya",
        sectorId = "B1-1",
        kind = "PersonsFound",
        alive = 2,
        needsMedical = true,
        persons = new object[]
        {
            new { name = "محمد أحمد الحلبي", age = 38, homeTown = "حمص",
                condition = "weak, dehydrated", takenTo = "Al-Mujtahid hospital" },
            new { name = "يوسف الحداد", fatherName = "خليل", birthYear = 1979 },
        },
    };

    private async Task<(int Status, JsonNode? Body)> Desk(HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = new StringContent(NodeUnderTest.Json(body), System.Text.Encoding.UTF8, "application/json");
        using var response = await _desk.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return ((int)response.StatusCode, text.Length == 0 || !text.TrimStart().StartsWith('{')
            && !text.TrimStart().StartsWith('[') ? JsonValue.Create(text) : JsonNode.Parse(text));
    }

    /// <summary>The views trail the writes by a poll of the journal: ask again until the answer is there.</summary>
    private async Task<JsonNode> Until(string path, Func<JsonNode, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var (status, body) = await Desk(HttpMethod.Get, path);
            if (status == 200 && done(body!)) return body!;
            Assert.True(DateTime.UtcNow < deadline, $"GET {path} never satisfied the test: {status} {body?.ToJsonString()}");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task A_person_found_in_Arabic_is_proposed_for_a_Latin_inquiry_and_the_desk_confirms()
    {
        var (status, outcome) = await _node.Post("/api/reports", FoundReport);
        Assert.Equal(200, status);
        var ids = outcome!["persons"]!.AsArray().Select(p => (string)p!).ToArray();
        Assert.Equal(2, ids.Length);
        var retried = await _node.Post("/api/reports", FoundReport); // a retry names the same persons
        Assert.Equal(ids, retried.Body!["persons"]!.AsArray().Select(p => (string)p!));

        (status, var inquiry) = await Desk(HttpMethod.Post, "/api/inquiries", new
        {
            id = "inq-1",
            name = "Mohamed Ahmad Al-Halabi",
            fatherName = "Ahmad",
            motherName = "Fatima",
            birthYear = 1987,
            homeTown = "Homs",
            lastSeen = "detained at a checkpoint in 2012",
            contact = "+90 555 0100",
        });
        Assert.Equal(201, status);
        Assert.Equal("Open", (string)inquiry!["status"]!);

        var candidates = await Until("/api/inquiries/inq-1/candidates", c => c.AsArray().Count > 0);
        var best = candidates[0]!;
        Assert.Equal(ids[0], (string)best["personId"]!);
        Assert.True((bool)best["strong"]!, best.ToJsonString());
        Assert.Contains(best["reasons"]!.AsArray(), r => ((string)r!).StartsWith("father's name agrees"));
        Assert.Equal("محمد أحمد الحلبي", (string)best["person"]!["details"]!["name"]!); // side by side
        Assert.DoesNotContain(candidates.AsArray(), c => (string)c!["personId"]! == ids[1]);

        var back = await Until($"/api/persons/{ids[0]}/candidates", c => c.AsArray().Count > 0);
        Assert.Equal("inq-1", (string)back[0]!["inquiryId"]!);
        var search = await Until("/api/persons?query=Mohammad%20Halabi", c => c["items"]!.AsArray().Count > 0);
        Assert.Equal(ids[0], (string)search["items"]![0]!["id"]!);

        (status, var decided) = await Desk(HttpMethod.Post, "/api/inquiries/inq-1/matches",
            new { personId = ids[0], decision = "Confirmed", note = "brother recognised him" });
        Assert.Equal(200, status);
        Assert.Equal("Confirmed", (string)decided!["decisions"]![0]!["decision"]!);
        var csv = (string)(await Until("/api/family/export/matches.csv", c => ((string)c!).Contains(ids[0])))!;
        Assert.StartsWith("inquiry_id,inquiry_name", csv);
        Assert.Contains("Mohamed Ahmad Al-Halabi", csv);
        Assert.Contains("Al-Mujtahid hospital", csv);

        // Every read of these records is in the read log, with who read them.
        var audit = await _node.All($"/api/audit?person={ids[0]}");
        Assert.Contains(audit, e => (string)e!["event"]! == "PersonRecordsRead" && ((string)e["by"]!).StartsWith("familydesk:"));
        Assert.Contains(audit, e => (string)e!["event"]! == "MatchDecided");
        // Reading the trail is itself a read of the records it shows.
        var again = await _node.All($"/api/audit?person={ids[0]}");
        Assert.Contains(again, e => (string)e!["event"]! == "PersonRecordsRead" && (string)e["data"]!["purpose"]! == "audit trail"
            && ((string)e["by"]!).StartsWith("bootstrap@"));

        (status, _) = await Desk(HttpMethod.Post, "/api/inquiries/inq-1/close", new { reason = "found alive, family informed" });
        Assert.Equal(200, status);
        (status, var closed) = await Desk(HttpMethod.Post, "/api/inquiries/inq-1/matches", new { personId = ids[1], decision = "Rejected" });
        Assert.Equal((409, "InquiryClosed"), (status, (string?)closed!["code"]));
    }

    [Fact]
    public async Task A_correction_is_an_event_and_the_original_stays_in_the_history()
    {
        var ids = (await _node.Post("/api/reports", FoundReport)).Body!["persons"]!.AsArray().Select(p => (string)p!).ToArray();
        await Until($"/api/persons/{ids[1]}", p => (string)p["details"]!["name"]! == "يوسف الحداد");
        var (status, corrected) = await Desk(HttpMethod.Post, $"/api/persons/{ids[1]}/corrections",
            new
            {
                person = new { name = "يوسف خليل الحداد", fatherName = "خليل", birthYear = 1979, homeTown = "دمشق" },
                reason = "the family name was misheard"
            });
        Assert.Equal(200, status);
        Assert.Equal("يوسف خليل الحداد", (string)corrected!["details"]!["name"]!);
        await Until($"/api/persons/{ids[1]}", p => (int)p["corrections"]! == 1);
        var history = (await _node.Get("/api/facilities/saydnaya/sectors/B1-1/history")).Body!.ToJsonString(
            new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        Assert.Contains("\"name\":\"يوسف الحداد\"", history); // the original, as reported
        Assert.Contains("PersonRecordCorrected", history);
        Assert.Contains("the family name was misheard", history);
        (status, var same) = await Desk(HttpMethod.Post, $"/api/persons/{ids[1]}/corrections",
            new { person = new { name = "" }, reason = "x" });
        Assert.Equal((400, "InvalidField"), (status, (string?)same!["code"]));
    }

    [Fact]
    public async Task Bad_inquiries_and_reports_are_refused_with_their_reason_and_change_nothing()
    {
        Assert.Equal(201, (await Desk(HttpMethod.Post, "/api/inquiries", new { id = "inq-9", name = "Rana Haddad", birthYear = 1994 })).Status);
        var before = (await Desk(HttpMethod.Get, "/api/inquiries/inq-9")).Body!.ToJsonString();
        foreach (var (body, expected) in new (object, string)[]
        {
            (new { id = "inq-10" }, "InvalidField"),
            (new { id = "bad id!", name = "X" }, "InvalidId"),
            (new { id = "inq-11", name = "X", birthYear = 1800 }, "InvalidField"),
            (new { id = "inq-12", name = new string('x', 201) }, "InvalidField"),
            (new { id = "inq-9", name = "Rana Haddad", birthYear = 1995 }, "InquiryAlreadyRegistered"),
            (new { id = "inq-13", name = "X", shoeSize = 44 }, "InvalidRequest"),
        })
        {
            var (status, problem) = await Desk(HttpMethod.Post, "/api/inquiries", body);
            Assert.True(status is 400 or 409, $"{NodeUnderTest.Json(body)}: {status}");
            Assert.True((string?)problem!["code"] == expected || expected == "InvalidRequest" && status == 400,
                $"{NodeUnderTest.Json(body)}: {problem.ToJsonString()}");
        }
        Assert.Equal(before, (await Desk(HttpMethod.Get, "/api/inquiries/inq-9")).Body!.ToJsonString());
        Assert.Equal(404, (await Desk(HttpMethod.Get, "/api/inquiries/inq-10")).Status);
        Assert.Equal(404, (await Desk(HttpMethod.Post, "/api/inquiries/inq-9/matches", new { personId = "p-none", decision = "Confirmed" })).Status);
        Assert.Equal(400, (await Desk(HttpMethod.Post, "/api/inquiries/inq-9/matches", new { personId = "p-none", decision = "Maybe" })).Status);
        Assert.Equal(400, (await Desk(HttpMethod.Get, "/api/persons")).Status);

        // More persons named than counted, or a person without a name: the sector records nothing.
        var sector = await _node.Read("/api/facilities/saydnaya/sectors/B1-1");
        var tooMany = await _node.Post("/api/reports", new
        {
            reportId = "r-bad",
            teamId = "SAR-1",
            facilityId = "saydnaya",
            sectorId = "B1-1",
            kind = "PersonsFound",
            alive = 1,
            persons = new object[] { new { name = "A" }, new { name = "B" } }
        });
        Assert.Equal((400, "InvalidField"), (tooMany.Status, (string?)tooMany.Body!["code"]));
        var nameless = await _node.Post("/api/reports", new
        {
            reportId = "r-bad2",
            teamId = "SAR-1",
            facilityId = "saydnaya",
            sectorId = "B1-1",
            kind = "PersonsFound",
            persons = new object[] { new { age = 30 } }
        });
        Assert.Equal((400, "InvalidField"), (nameless.Status, (string?)nameless.Body!["code"]));
        Assert.Equal(sector, await _node.Read("/api/facilities/saydnaya/sectors/B1-1"));
    }

    [Fact]
    public async Task A_strong_candidate_alerts_the_family_desk_stream_and_never_the_monitors_stream()
    {
        var monitorToken = (string)(await _node.Post("/api/tokens", new { role = "monitor", expires = "1h" })).Body!["token"]!;
        await using var monitors = await SseClient.ConnectAsync(_node.BaseAddress, "/api/stream", monitorToken);
        await using var family = await SseClient.ConnectAsync(_node.BaseAddress, "/api/family/stream", _deskToken);
        Assert.Equal(201, (await Desk(HttpMethod.Post, "/api/inquiries",
            new { id = "inq-2", name = "Youssef Khalil Haddad", fatherName = "Khalil", birthYear = 1979 })).Status);
        var ids = (await _node.Post("/api/reports", FoundReport)).Body!["persons"]!.AsArray().Select(p => (string)p!).ToArray();

        var seen = await family.UntilAsync(e => e.Event == "family-candidate", TimeSpan.FromSeconds(20));
        var alert = seen[^1].Data!["data"]!;
        Assert.Equal(("inq-2", ids[1]), ((string)alert["inquiry"]!, (string)alert["person"]!));
        // What the desk's stream sent is in the read log, with who it was sent to.
        var reads = await _node.All($"/api/audit?person={ids[1]}");
        Assert.Contains(reads, e => (string)e!["event"]! == "PersonRecordsRead" && (string)e["data"]!["purpose"]! == "family desk stream"
            && ((string)e["by"]!).StartsWith("familydesk:") && e["data"]!["inquiries"]!.AsArray().Any(i => (string)i! == "inq-2"));

        // The monitors' stream carries the same report's counts, and nothing that names a person.
        var counted = await monitors.UntilAsync(e => e.Event == "alert", TimeSpan.FromSeconds(20));
        Assert.DoesNotContain(counted, e => e.Event.StartsWith("family-"));
        Assert.DoesNotContain(counted, e => e.Data!.ToJsonString().Contains("Haddad") || e.Data.ToJsonString().Contains("الحداد"));
    }
}

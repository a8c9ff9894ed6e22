using System.Text.Json;
using System.Text.Json.Nodes;
using Coordinator.Node.Access;
using Coordinator.Node.Field;
using Coordinator.Node.Tests.Support;

namespace Coordinator.Node.Tests;

/// <summary>What the field app stands on: enrolment codes, the team's briefing, and a queue of reports delivered in one batch.</summary>
public class FieldApiTests : IAsyncLifetime
{
    private NodeUnderTest _node = null!;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _node = await NodeUnderTest.StartAsync();
        Assert.Equal(201, (await _node.Post("/api/facilities", new { id = "adra", name = "Adra prison" })).Status);
        Assert.Equal(200, (await _node.Put("/api/facilities/adra/layout", new
        {
            sectors = new object[]
            {
                new { id = "B1", kind = "Level", name = "Basement 1" }, new { id = "B1-A", parent = "B1", kind = "Block", name = "Block A" },
                new { id = "B1-A-1", parent = "B1-A", kind = "Cell", name = "Cell 1", needs = new[] { "DoorOpening" } },
                new { id = "B1-A-2", parent = "B1-A", kind = "Cell", name = "Cell 2" },
                    new { id = "B1-A-3", parent = "B1-A", kind = "Cell", name = "Cell 3" },
            },
        })).Status);
        Assert.Equal(201, (await _node.Post("/api/teams",
            new { id = "DOOR-1", callSign = "Delta One", size = 3, capabilities = new[] { "DoorOpening", "Search" } })).Status);
        Assert.Equal(201, (await _node.Post("/api/teams",
            new { id = "SAR-2", callSign = "Sierra Two", size = 5, capabilities = new[] { "Search" } })).Status);
    }

    public async ValueTask DisposeAsync() => await _node.DisposeAsync();

    private async Task<string> Enrol(string team)
    {
        var opened = await _node.Post("/api/enrolments", new { team });
        Assert.Equal(201, opened.Status);
        return (string)opened.Body!["code"]!;
    }

    private async Task<(int Status, JsonNode? Body)> Redeem(string code, string phoneId = "phone-1")
    {
        using var phone = _node.Client(null);
        using var response = await phone.PostAsync("/api/enrolments/redeem",
            new StringContent(NodeUnderTest.Json(new { code, phone = phoneId }), System.Text.Encoding.UTF8, "application/json"), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    [Fact]
    public async Task A_phone_redeems_a_short_code_once_for_its_teams_field_token()
    {
        var opened = await _node.Post("/api/enrolments", new { team = "DOOR-1", tokenExpires = "8h" });
        Assert.Equal(201, opened.Status);
        var code = (string)opened.Body!["code"]!;
        Assert.Matches($"^[{EnrolmentCode.Alphabet}]{{5}}-[{EnrolmentCode.Alphabet}]{{5}}$", code);
        Assert.EndsWith($"/field/#enrol={code.Replace("-", "")}", (string)opened.Body["url"]!);
        var expiresAt = DateTimeOffset.Parse((string)opened.Body["expiresAt"]!);
        Assert.InRange(expiresAt - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(14),
            TimeSpan.FromMinutes(15)); // 15 min unless the lead says otherwise

        // Typed as heard: lower case, without the dash.
        var redeemed = await Redeem(code.Replace("-", " ").ToLowerInvariant());
        Assert.Equal(200, redeemed.Status);
        Assert.Equal("DOOR-1", (string)redeemed.Body!["team"]!);
        Assert.InRange(DateTimeOffset.Parse((string)redeemed.Body["expiresAt"]!) - DateTimeOffset.UtcNow,
            TimeSpan.FromHours(7.9), TimeSpan.FromHours(8));
        using var phone = _node.Client((string)redeemed.Body["token"]!);
        Assert.Equal(200, (int)(await phone.GetAsync("/api/teams/DOOR-1/briefing", Ct)).StatusCode);
        Assert.Equal(403, (int)(await phone.PostAsync("/api/teams", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"),
            Ct)).StatusCode); // a field token, nothing more

        var another = await Redeem(code, "phone-2");
        Assert.Equal((409, "EnrolmentUsed"), (another.Status, (string)another.Body!["code"]!));
        // Recorded as events: a restarted node refuses it too, and the journal and the audit trail never hold the code.
        await _node.StopAsync();
        await _node.StartAgainAsync();
        Assert.Equal(409, (await Redeem(code, "phone-2")).Status);
        // The phone that used it, whose answer was lost, asks again: the same token, not a second one.
        var again = await Redeem(code);
        Assert.Equal(((string)redeemed.Body["id"]!, 200), ((string)again.Body!["id"]!, again.Status));
        Assert.Single((await _node.Get("/api/tokens")).Body!.AsArray(), t => (string?)t!["team"] == "DOOR-1");
        var audit = await _node.Read("/api/audit?limit=50");
        Assert.Contains("EnrolmentRedeemed", audit);
        Assert.DoesNotContain(code.Replace("-", ""), audit);
        Assert.DoesNotContain(code.Replace("-", ""), await File.ReadAllTextAsync(Path.Combine(_node.DataFolder, "coordinator.db"), Ct));
    }

    [Fact]
    public async Task Bad_codes_and_bad_enrolments_are_refused_with_their_reason()
    {
        Assert.Equal((400, "InvalidField"), Code(await Redeem("ABC")));
        Assert.Equal((400, "InvalidField"), Code(await Redeem("0000000000"))); // look-alike characters are not in the alphabet
        Assert.Equal((404, "EnrolmentNotFound"), Code(await Redeem("2346792346")));
        Assert.Equal((404, "EnrolmentNotFound"), Code(await Redeem("٢٣٤٦٧٩٢٣٤٦"))); // Arabic-Indic digits are the same digits
        Assert.Equal((400, "InvalidField"), Code(await Redeem("2346792346", phoneId: "")));
        Assert.Equal((404, "TeamNotFound"), Code(await _node.Post("/api/enrolments", new { team = "NOPE-1" })));
        Assert.Equal((400, "InvalidField"), Code(await _node.Post("/api/enrolments", new { team = "DOOR-1", expires = "3d" })));
        Assert.Equal((400, "InvalidField"), Code(await _node.Post("/api/enrolments", new { team = "DOOR-1", tokenExpires = "forever" })));
        Assert.Equal(401, (await _node.Client(null).PostAsync("/api/enrolments",
            new StringContent("{\"team\":\"DOOR-1\"}", System.Text.Encoding.UTF8, "application/json"), Ct)).StatusCode switch
        { var s => (int)s });
    }

    private static (int, string) Code((int Status, JsonNode? Body) answer) => (answer.Status, (string)answer.Body!["code"]!);

    [Fact]
    public async Task The_briefing_gives_the_sector_the_way_there_and_what_access_it_needs()
    {
        var idle = await _node.Get("/api/teams/DOOR-1/briefing");
        Assert.Equal(("Delta One", null), ((string)idle.Body!["team"]!["callSign"]!, idle.Body["assignment"]));
        Assert.Equal(201, (await _node.Post("/api/assignments", new { teamId = "DOOR-1", facilityId = "adra", sectorId = "B1-A-1" })).Status);
        var briefing = (await _node.Get("/api/teams/DOOR-1/briefing")).Body!["assignment"]!;
        Assert.Equal(("adra", "Adra prison", "Cell 1"),
            ((string)briefing["facilityId"]!, (string)briefing["facilityName"]!, (string)briefing["sector"]!["name"]!));
        Assert.Equal(["DoorOpening"], briefing["sector"]!["needs"]!.AsArray().Select(n => (string)n!));
        Assert.Equal(["Basement 1", "Block A"], briefing["path"]!.AsArray().Select(p => (string)p!["name"]!));
    }

    [Fact]
    public async Task A_batch_is_answered_report_by_report_in_order_and_sent_again_changes_nothing()
    {
        Assert.Equal(201, (await _node.Post("/api/assignments", new { teamId = "SAR-2", facilityId = "adra", sectorId = "B1-A-2" })).Status);
        var field = (string)(await _node.Post("/api/tokens", new { role = "field", team = "SAR-2", expires = "1h" })).Body!["token"]!;
        object R(string id, string sector, string kind, object? extra = null, string team = "SAR-2")
        {
            var body = new JsonObject { ["reportId"] = id, ["teamId"] = team, ["facilityId"] = "adra", ["sectorId"] = sector, ["kind"] = kind };
            foreach (var p in extra?.GetType().GetProperties() ?? []) body[p.Name] = JsonSerializer.SerializeToNode(p.GetValue(extra));
            return body;
        }
        var batch = new
        {
            reports = new object?[]
            {
                R("q-1", "B1-A-2", "Entered"),
                R("q-2", "B1-A-2", "PersonsFound", new { alive = 1, persons = new[] { new { name = "عمر", age = 40 } } }),
                R("q-3", "B1-A-3", "Cleared", new { method = "Visual" }), // not assigned there: refused by the rules
                null,
                R("q-5", "B1-A-1", "Entered", team: "DOOR-1"), // another team's report: not this token's
                R("q-6", "B1-A-2", "Cleared", new { method = "K9" }),
            },
        };
        using var phone = _node.Client(field);
        async Task<JsonArray> Send()
        {
            using var response = await phone.PostAsync("/api/reports/batch",
                new StringContent(NodeUnderTest.Json(batch), System.Text.Encoding.UTF8, "application/json"), Ct);
            Assert.Equal(200, (int)response.StatusCode);
            return JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["outcomes"]!.AsArray();
        }
        var first = await Send();
        Assert.Equal([200, 200, 409, 400, 403, 200], first.Select(o => (int)o!["status"]!));
        Assert.Equal(["q-1", "q-2", "q-3", null, "q-5", "q-6"], first.Select(o => (string?)o!["reportId"]));
        Assert.Equal("SectorNotAssignedToTeam", (string)first[2]!["problem"]!["code"]!);
        Assert.Equal("NotYourTeam", (string)first[4]!["problem"]!["code"]!);
        Assert.Equal("Cleared", (string)first[5]!["accepted"]!["sectorStatus"]!);
        Assert.Single(first[1]!["accepted"]!["persons"]!.AsArray());

        var history = await _node.Read("/api/facilities/adra/sectors/B1-A-2/history");
        var second = await Send(); // the phone never heard the answer: the same ids again
        Assert.Equal(first.ToJsonString(), second.ToJsonString());
        Assert.Equal(history, await _node.Read("/api/facilities/adra/sectors/B1-A-2/history"));
        Assert.Equal(["SectorDefined", "TeamAssigned", "SectorEntered", "PersonsFound", "SectorCleared"],
            JsonNode.Parse(history)!["items"]!.AsArray().Select(h => (string)h!["event"]!));

        Assert.Equal((400, "InvalidField"), Code(await _node.Post("/api/reports/batch",
            new { reports = Enumerable.Range(0, ReportEndpoints.MaxBatch + 1).Select(i => R($"x-{i}", "B1-A-2", "Entered")).ToArray() })));
        Assert.Equal((400, "InvalidField"), Code(await _node.Post("/api/reports/batch", new { })));
    }
}

using Coordinator.Node.Tests.Support;

namespace Coordinator.Node.Tests;

/// <summary>Every route against the real node over HTTP, and every class of error a client can cause.</summary>
public class ApiTests : IAsyncLifetime
{
    private NodeUnderTest _node = null!;

    public async ValueTask InitializeAsync() => _node = await NodeUnderTest.StartAsync();
    public async ValueTask DisposeAsync() => await _node.DisposeAsync();

    private static object Sector(string id, string? parent, string kind, params string[] needs) =>
        new { id, parent, kind, name = $"Sector {id}", needs };

    private async Task Seed()
    {
        Assert.Equal(201, (await _node.Post("/api/facilities",
            new { id = "saydnaya", name = "Saydnaya", aliases = new[] { "Sednaya" }, location = "near Damascus" })).Status);
        var layout = await _node.Put("/api/facilities/saydnaya/layout", new
        {
            sectors = new[]
            {
                Sector("B2-C-1", "B2-C", "Cell"), Sector("B2-C-2", "B2-C", "Cell", "DoorOpening"),
                Sector("B2-C", "B2", "Corridor"), Sector("B2", null, "Level"),
            },
        });
        Assert.Equal(200, layout.Status);
        Assert.Equal(2, (int)layout.Body!["progress"]!["leaves"]!);
        Assert.Equal(201, (await _node.Post("/api/teams",
            new { id = "SAR-1", callSign = "Sierra One", size = 5, capabilities = new[] { "Search" } })).Status);
        Assert.Equal(201, (await _node.Post("/api/teams",
            new { id = "DOOR-1", callSign = "Delta One", size = 3, capabilities = new[] { "doorOpening", "search" } })).Status);
    }

    private Task<(int Status, System.Text.Json.Nodes.JsonNode? Body)> Report(string id, string team, string sector, string kind, object? extra = null)
    {
        var body = new Dictionary<string, object?>
        {
            ["reportId"] = id,
            ["teamId"] = team,
            ["facilityId"] = "saydnaya",
            ["sectorId"] = sector,
            ["kind"] = kind
        };
        if (extra is not null)
            foreach (var p in extra.GetType().GetProperties()) body[p.Name] = p.GetValue(extra);
        return _node.Post("/api/reports", body);
    }

    [Fact]
    public async Task A_lead_and_field_units_search_a_facility_to_sign_off_through_the_api()
    {
        await Seed();
        var assigned = await _node.Post("/api/assignments", new { teamId = "SAR-1", facilityId = "saydnaya", sectorId = "B2-C-1" });
        Assert.Equal(201, assigned.Status);
        Assert.Equal("Assigned", (string)assigned.Body!["status"]!);

        Assert.Equal("InProgress", (string)(await Report("r-1", "SAR-1", "B2-C-1", "Entered")).Body!["sectorStatus"]!);
        var found = await Report("r-2", "SAR-1", "B2-C-1", "PersonsFound", new { alive = 2, needsMedical = true, details = "two men, one injured" });
        Assert.Equal(200, found.Status);
        Assert.Equal("Cleared", (string)(await Report("r-3", "SAR-1", "B2-C-1", "Cleared", new { method = "Visual" })).Body!["sectorStatus"]!);

        var sector = await _node.Get("/api/facilities/saydnaya/sectors/B2-C-1");
        Assert.Equal(("Cleared", 2, "B2-C"), ((string)sector.Body!["status"]!, (int)sector.Body["personsAlive"]!, (string)sector.Body["parent"]!));
        var corridor = await _node.Get("/api/facilities/saydnaya/sectors/B2-C");
        Assert.Equal(["B2-C-1", "B2-C-2"], corridor.Body!["children"]!.AsArray().Select(c => (string)c!).ToArray());

        var history = await _node.All("/api/facilities/saydnaya/sectors/B2-C-1/history");
        Assert.Equal(["SectorDefined", "TeamAssigned", "SectorEntered", "PersonsFound", "SectorCleared"],
            history.Select(h => (string)h!["event"]!).ToArray());
        Assert.StartsWith("bootstrap@", (string)history[2]!["by"]!); // who sent it, as authenticated

        // The other cell is behind an iron door: the search team lacks the capability, the door crew has it.
        var lacks = await _node.Post("/api/assignments", new { teamId = "SAR-1", facilityId = "saydnaya", sectorId = "B2-C-2" });
        Assert.Equal((409, "TeamLacksCapability"), (lacks.Status, (string)lacks.Body!["code"]!));
        Assert.Equal(201, (await _node.Post("/api/assignments", new { teamId = "DOOR-1", facilityId = "saydnaya", sectorId = "B2-C-2" })).Status);
        Assert.Equal(200, (await Report("d-1", "DOOR-1", "B2-C-2", "Entered")).Status);

        var early = await _node.Post("/api/facilities/saydnaya/signoff");
        Assert.Equal((409, "FacilityHasUnsearchedSectors"), (early.Status, (string)early.Body!["code"]!));

        Assert.Equal(200, (await Report("d-2", "DOOR-1", "B2-C-2", "ClearedWithDeceased", new { method = "Technical", deceased = 1 })).Status);
        await Eventually(async () => (await _node.Post("/api/facilities/saydnaya/signoff")).Status == 200,
            "the sign-off to pass once the facility knows both cells");
        var facility = await _node.Get("/api/facilities/saydnaya");
        Assert.True((bool)facility.Body!["signedOff"]!);
        Assert.Equal((100.0, 2, 1), ((double)facility.Body["progress"]!["percentFinal"]!, (int)facility.Body["progress"]!["personsAlive"]!,
            (int)facility.Body["progress"]!["personsDeceased"]!));
        Assert.Single((await _node.Get("/api/facilities")).Body!.AsArray());

        // New evidence: a hidden space under the cleared cell reopens it and the facility is no longer signed off.
        var hidden = await Report("k-1", "DOOR-1", "B2-C-1", "HiddenSpaceFound",
            new { newSectorId = "B3-V-1", name = "void below cell 1", needs = new[] { "Breaching" } });
        Assert.Equal((200, "Unsearched"), (hidden.Status, (string)hidden.Body!["sectorStatus"]!));
        var reopened = await _node.Get("/api/facilities/saydnaya");
        Assert.False((bool)reopened.Body!["signedOff"]!);
        Assert.Equal("HiddenSpace", (string)(await _node.Get("/api/facilities/saydnaya/sectors/B3-V-1")).Body!["kind"]!);

        // Reopen, recall, rest.
        var reopen = await _node.Post("/api/facilities/saydnaya/sectors/B2-C-2/reopen", new { reason = "knocking heard behind the wall" });
        Assert.Equal((200, "Unsearched"), (reopen.Status, (string)reopen.Body!["status"]!));
        Assert.Equal(201, (await _node.Post("/api/assignments", new { teamId = "SAR-1", facilityId = "saydnaya", sectorId = "B2-C-1" })).Status);
        var recalled = await _node.Post("/api/teams/SAR-1/recall");
        Assert.Equal((200, "Available"), (recalled.Status, (string)recalled.Body!["status"]!));
        var resting = await _node.Post("/api/teams/SAR-1/status", new { status = "Resting" });
        Assert.Equal((200, "Resting"), (resting.Status, (string)resting.Body!["status"]!));
        Assert.Equal(2, (await _node.Get("/api/teams")).Body!.AsArray().Count);
        Assert.Equal("Unsearched", (string)(await _node.Get("/api/facilities/saydnaya/sectors/B2-C-1")).Body!["status"]!);
    }

    [Fact]
    public async Task A_repeated_report_gets_the_same_answer_and_is_applied_once()
    {
        await Seed();
        await _node.Post("/api/assignments", new { teamId = "SAR-1", facilityId = "saydnaya", sectorId = "B2-C-1" });
        await Report("r-1", "SAR-1", "B2-C-1", "Entered");
        var first = await Report("r-2", "SAR-1", "B2-C-1", "PersonsFound", new { alive = 3 });
        var again = await Report("r-2", "SAR-1", "B2-C-1", "PersonsFound", new { alive = 3 });
        Assert.Equal(first.Body!.ToJsonString(), again.Body!.ToJsonString());
        Assert.Equal(3, (int)(await _node.Get("/api/facilities/saydnaya/sectors/B2-C-1")).Body!["personsAlive"]!);
        var reused = await Report("r-2", "SAR-1", "B2-C-1", "PersonsFound", new { alive = 4 });
        Assert.Equal((409, "ReportIdReused"), (reused.Status, (string)reused.Body!["code"]!));
    }

    public static TheoryData<string, string, string, object, int, string> BadRequests => new()
    {
        // method, path, what, body, status, code
        { "POST", "/api/facilities", "malformed JSON", "{\"id\":", 400, "InvalidField" },
        { "POST", "/api/facilities", "wrong type", "{\"id\":\"x\",\"name\":5}", 400, "InvalidField" },
        { "POST", "/api/facilities", "missing name", "{\"id\":\"x\"}", 400, "InvalidField" },
        { "POST", "/api/facilities", "bad id", "{\"id\":\"no spaces\",\"name\":\"n\"}", 400, "InvalidId" },
        { "POST", "/api/facilities", "unknown field", "{\"id\":\"x\",\"name\":\"n\",\"extra\":1}", 400, "InvalidField" },
        { "POST", "/api/facilities", "not an object", "[1,2]", 400, "InvalidField" },
        { "POST", "/api/facilities", "already registered", "{\"id\":\"saydnaya\",\"name\":\"Other\"}", 409, "FacilityAlreadyRegistered" },
        { "POST", "/api/teams", "size as text",
            "{\"id\":\"T\",\"callSign\":\"c\",\"size\":\"five\",\"capabilities\":[\"Search\"]}", 400, "InvalidField" },
        { "POST", "/api/teams", "unknown capability",
            "{\"id\":\"T\",\"callSign\":\"c\",\"size\":3,\"capabilities\":[\"Flying\"]}", 400, "InvalidField" },
        { "POST", "/api/teams", "capability as number", "{\"id\":\"T\",\"callSign\":\"c\",\"size\":3,\"capabilities\":[1]}", 400, "InvalidField" },
        { "POST", "/api/teams", "zero size", "{\"id\":\"T\",\"callSign\":\"c\",\"size\":0,\"capabilities\":[\"Search\"]}", 400, "InvalidField" },
        { "GET", "/api/facilities/nowhere", "unknown facility", "", 404, "FacilityNotFound" },
        { "GET", "/api/facilities/saydnaya/sectors/X-9", "unknown sector", "", 404, "SectorNotFound" },
        { "GET", "/api/facilities/nowhere/sectors/X-9/history", "sector of unknown facility", "", 404, "FacilityNotFound" },
        { "GET", "/api/teams/GHOST", "unknown team", "", 404, "TeamNotFound" },
        { "GET", "/api/teams/bad%20id", "bad route id", "", 400, "InvalidId" },
        { "PUT", "/api/facilities/saydnaya/layout", "missing parent",
            "{\"sectors\":[{\"id\":\"Z-1\",\"parent\":\"Z\",\"kind\":\"Cell\"}]}", 400, "ParentSectorNotFound" },
        { "PUT", "/api/facilities/saydnaya/layout", "cycle",
            "{\"sectors\":[{\"id\":\"P\",\"parent\":\"Q\",\"kind\":\"Cell\"},{\"id\":\"Q\",\"parent\":\"P\",\"kind\":\"Cell\"}]}", 400,
            "LayoutHasCycle" },
        { "PUT", "/api/facilities/saydnaya/layout", "conflicting duplicate",
            "{\"sectors\":[{\"id\":\"B2\",\"kind\":\"Block\"}]}", 409, "SectorConflict" },
        { "PUT", "/api/facilities/saydnaya/layout", "missing kind", "{\"sectors\":[{\"id\":\"N\"}]}", 400, "InvalidField" },
        { "PUT", "/api/facilities/nowhere/layout", "unknown facility", "{\"sectors\":[]}", 404, "FacilityNotFound" },
        { "POST", "/api/assignments", "unknown team",
            "{\"teamId\":\"GHOST\",\"facilityId\":\"saydnaya\",\"sectorId\":\"B2-C-1\"}", 404, "TeamNotFound" },
        { "POST", "/api/assignments", "unknown sector",
            "{\"teamId\":\"SAR-1\",\"facilityId\":\"saydnaya\",\"sectorId\":\"X-9\"}", 404, "SectorNotFound" },
        { "POST", "/api/assignments", "lacking capability",
            "{\"teamId\":\"SAR-1\",\"facilityId\":\"saydnaya\",\"sectorId\":\"B2-C-2\"}", 409, "TeamLacksCapability" },
        { "POST", "/api/reports", "not assigned",
            "{\"reportId\":\"r\",\"teamId\":\"SAR-1\",\"facilityId\":\"saydnaya\",\"sectorId\":\"B2-C-1\"," +
            "\"kind\":\"Cleared\",\"method\":\"Visual\"}", 409, "SectorNotAssignedToTeam" },
        { "POST", "/api/reports", "cleared without method",
            "{\"reportId\":\"r\",\"teamId\":\"SAR-1\",\"facilityId\":\"saydnaya\",\"sectorId\":\"B2-C-1\",\"kind\":\"Cleared\"}", 400,
            "InvalidField" },
        { "POST", "/api/reports", "unknown kind",
            "{\"reportId\":\"r\",\"teamId\":\"SAR-1\",\"facilityId\":\"saydnaya\",\"sectorId\":\"B2-C-1\",\"kind\":\"Teleported\"}", 400,
            "InvalidField" },
        { "POST", "/api/reports", "report id too long",
            $"{{\"reportId\":\"{new string('r', 65)}\",\"teamId\":\"SAR-1\"," +
            $"\"facilityId\":\"saydnaya\",\"sectorId\":\"B2-C-1\",\"kind\":\"Entered\"}}", 400, "InvalidId" },
        { "POST", "/api/facilities/saydnaya/signoff", "unsearched sectors", "{}", 409, "FacilityHasUnsearchedSectors" },
        { "POST", "/api/facilities/saydnaya/sectors/B2-C-1/reopen", "not cleared", "{\"reason\":\"x\"}", 409, "SectorNotReopenable" },
        { "POST", "/api/facilities/saydnaya/sectors/B2-C-1/reopen", "no reason", "{}", 400, "InvalidField" },
        { "POST", "/api/teams/SAR-1/recall", "nothing to recall", "{}", 409, "TeamNotAssigned" },
        { "POST", "/api/teams/SAR-1/status", "status set by assignments", "{\"status\":\"OnSite\"}", 400, "InvalidField" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_input_and_refused_transitions_get_problem_details_and_change_nothing(string method, string path,
        string what, object body, int status, string code)
    {
        await Seed();
        var before = await State();
        var (actual, problem) = await _node.Send(new HttpMethod(method), path, method == "GET" ? null : body);
        Assert.True(actual == status, $"{what}: expected {status}, got {actual}: {problem?.ToJsonString()}");
        Assert.Equal(code, (string)problem!["code"]!);
        Assert.False(string.IsNullOrWhiteSpace((string?)problem["detail"]), what);
        Assert.Equal(before, await State());
    }

    [Fact]
    public async Task A_body_over_the_limit_is_refused_with_413_and_changes_nothing()
    {
        await Seed();
        var before = await State();
        var huge = Node.Tests.Support.NodeUnderTest.Json(new { id = "big", name = new string('x', 100_000) });
        var (status, problem) = await _node.Send(HttpMethod.Post, "/api/facilities", huge);
        Assert.Equal((413, "BodyTooLarge"), (status, (string)problem!["code"]!));
        Assert.Equal(before, await State());
    }

    [Fact]
    public async Task Health_openapi_and_the_api_reference_are_served()
    {
        Assert.Equal(200, (await _node.Get("/healthz/live")).Status);
        var ready = await _node.Get("/healthz/ready");
        Assert.Equal((200, "reachable"), (ready.Status, (string)ready.Body!["checks"]!["journal"]!));
        var openApi = await _node.Get("/openapi/v1.json");
        Assert.NotNull(openApi.Body!["paths"]!["/api/reports"]);
        var page = await _node.Http.GetAsync("/api-docs/index.html", TestContext.Current.CancellationToken);
        Assert.Equal(200, (int)page.StatusCode);
        Assert.Contains("swagger", await page.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task State_survives_a_restart_of_the_node()
    {
        await Seed();
        await _node.Post("/api/assignments", new { teamId = "SAR-1", facilityId = "saydnaya", sectorId = "B2-C-1" });
        await Report("r-1", "SAR-1", "B2-C-1", "Entered");
        await Report("r-2", "SAR-1", "B2-C-1", "PersonsFound", new { alive = 1 });
        var before = await State();
        await _node.StopAsync();
        await _node.StartAgainAsync();
        Assert.Equal(before, await State());
        // And the retried report after the restart is still recognised.
        var again = await Report("r-2", "SAR-1", "B2-C-1", "PersonsFound", new { alive = 1 });
        Assert.Equal(200, again.Status);
        Assert.Equal(1, (int)(await _node.Get("/api/facilities/saydnaya/sectors/B2-C-1")).Body!["personsAlive"]!);
    }

    [Fact]
    public async Task While_the_journal_cannot_be_written_requests_fail_with_503_and_a_retry_afterwards_applies_once()
    {
        await Seed();
        await _node.Post("/api/assignments", new { teamId = "SAR-1", facilityId = "saydnaya", sectorId = "B2-C-1" });
        await Report("r-1", "SAR-1", "B2-C-1", "Entered");

        // Another process holds the database's write lock: the journal cannot write until it lets go.
        await using (var holder = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(_node.DataFolder, "coordinator.db")}"))
        {
            await holder.OpenAsync(TestContext.Current.CancellationToken);
            await using (var lockCommand = holder.CreateCommand())
            {
                lockCommand.CommandText = "BEGIN EXCLUSIVE;"; // in WAL mode this takes the write lock at once
                await lockCommand.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
            }
            var (status, problem) = await Report("r-2", "SAR-1", "B2-C-1", "PersonsFound", new { alive = 2 });
            Assert.Equal((503, "Unavailable"), (status, (string)problem!["code"]!));
            await using var rollback = holder.CreateCommand();
            rollback.CommandText = "ROLLBACK";
            await rollback.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        // The unit retries with the same id: whether or not the first attempt was written in the end, it counts once.
        await Eventually(async () => (await Report("r-2", "SAR-1", "B2-C-1", "PersonsFound", new { alive = 2 })).Status == 200,
            "the retry to be accepted");
        Assert.Equal(2, (int)(await _node.Get("/api/facilities/saydnaya/sectors/B2-C-1")).Body!["personsAlive"]!);
    }

    /// <summary>Everything a client can read of the seeded operation, as text.</summary>
    private async Task<string> State()
    {
        var parts = new List<string>
        {
            await _node.Read("/api/facilities/saydnaya"),
            await Team("SAR-1"),
            await Team("DOOR-1"),
        };
        foreach (var s in new[] { "B2", "B2-C", "B2-C-1", "B2-C-2" })
        {
            parts.Add(await _node.Read($"/api/facilities/saydnaya/sectors/{s}"));
            parts.Add(await _node.Read($"/api/facilities/saydnaya/sectors/{s}/history"));
        }
        return string.Join("\n", parts);
    }

    /// <summary>A team as read, less the seconds on site, which change by themselves.</summary>
    private async Task<string> Team(string id)
    {
        var team = (await _node.Get($"/api/teams/{id}")).Body!.AsObject();
        team.Remove("secondsOnSite");
        team.Remove("secondsOnDuty");
        return team.ToJsonString();
    }

    private static async Task Eventually(Func<Task<bool>> condition, string what)
    {
        var until = DateTime.UtcNow.AddSeconds(20);
        while (!await condition())
        {
            if (DateTime.UtcNow > until) throw new TimeoutException($"waited 20 s for {what}");
            await Task.Delay(50);
        }
    }
}

using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Coordinator.Cluster.Tests.Support;
using Coordinator.Faults.Tests.Support;

namespace Coordinator.Faults.Tests;

/// <summary>Two desk officers on two nodes of a cluster: one takes a case, the other's queue shows who holds it and their claim is refused.</summary>
public sealed class FamilyQueueTests(PostgresServer postgres)
{
    [Fact]
    public async Task An_officer_on_one_node_claims_and_the_officer_on_the_other_sees_it_claimed()
    {
        await using var cluster = await ClusterUnderTest.StartAsync(postgres, size: 2);
        var ct = TestContext.Current.CancellationToken;
        using var admin = cluster.Nodes[0].Client(TimeSpan.FromSeconds(10));
        async Task<JsonNode> Post(HttpClient client, string path, object body, int expected)
        {
            using var response = await client.PostAsJsonAsync(path, body, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            Assert.True((int)response.StatusCode == expected, $"POST {path}: {(int)response.StatusCode} {text}");
            return JsonNode.Parse(text)!;
        }
        await Post(admin, "/api/facilities", new { id = "saydnaya", name = "Saydnaya" }, 201);
        using (var layout = await admin.PutAsJsonAsync("/api/facilities/saydnaya/layout",
            new { sectors = new object[] { new { id = "B1", kind = "Level" }, new { id = "B1-1", parent = "B1", kind = "Cell" } } }, ct))
            layout.EnsureSuccessStatusCode();
        await Post(admin, "/api/teams", new { id = "SAR-1", callSign = "S", size = 5, capabilities = new[] { "Search" } }, 201);
        await Post(admin, "/api/assignments", new { teamId = "SAR-1", facilityId = "saydnaya", sectorId = "B1-1" }, 201);
        await Post(admin, "/api/reports",
            new { reportId = "r-in", teamId = "SAR-1", facilityId = "saydnaya", sectorId = "B1-1", kind = "Entered" }, 200);
        var found = await Post(admin, "/api/reports", new
        {
            reportId = "r-persons",
            teamId = "SAR-1",
            facilityId = "saydnaya",
            sectorId = "B1-1",
            kind = "PersonsFound",
            alive = 1,
            persons = new[] { new { name = "محمد أحمد الحلبي", age = 38, homeTown = "حمص", takenTo = "Al-Mujtahid hospital" } },
        }, 200);
        var person = (string)found["persons"]![0]!;

        HttpClient Officer(int node, string token)
        {
            var http = new HttpClient { BaseAddress = cluster.Nodes[node].BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
            http.DefaultRequestHeaders.Authorization = new("Bearer", token);
            return http;
        }
        using var rana = Officer(0, (string)(await Post(admin, "/api/tokens", new { role = "familydesk", expires = "1h" }, 201))["token"]!);
        using var sami = Officer(1, (string)(await Post(admin, "/api/tokens", new { role = "familydesk", expires = "1h" }, 201))["token"]!);

        await Post(rana, "/api/inquiries",
            new
            {
                id = "inq-1",
                name = "Mohamed Ahmad Al-Halabi",
                fatherName = "Ahmad",
                birthYear = 1987,
                homeTown = "Homs",
                contact = "+90 555 0100"
            }, 201);
        // The person's record reaches the desk's view of node 1 by its poll of the journal: decide once it is there.
        for (var deadline = DateTime.UtcNow.AddSeconds(30); ; await Task.Delay(100, ct))
        {
            using var response = await rana.PostAsJsonAsync("/api/inquiries/inq-1/matches", new { personId = person, decision = "Confirmed" }, ct);
            if (response.IsSuccessStatusCode) break;
            Assert.True(DateTime.UtcNow < deadline,
                $"the match was never accepted: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
        }
        var holder = (string)(await Post(rana, "/api/inquiries/inq-1/claim", new { }, 200))["claim"]!["by"]!;

        var refused = await Post(sami, "/api/inquiries/inq-1/claim", new { }, 409);
        Assert.Equal("CaseClaimedByOther", (string?)refused["code"]);
        Assert.Contains(holder, (string)refused["detail"]!);
        await UntilQueue(sami, q =>
            ToInform(q).Any(x => (string)x!["inquiryId"]! == "inq-1" && (string?)x["claim"]?["by"] == holder), ct);

        await Post(rana, "/api/inquiries/inq-1/release", new { }, 200);
        await UntilQueue(sami, q => ToInform(q).Any(x => (string)x!["inquiryId"]! == "inq-1" && x["claim"] is null), ct);
        var taken = await Post(sami, "/api/inquiries/inq-1/claim", new { }, 200);
        Assert.NotEqual(holder, (string)taken["claim"]!["by"]!);
        await UntilQueue(rana, q =>
            ToInform(q)
                .Any(x => (string)x!["inquiryId"]! == "inq-1" && (string?)x["claim"]?["by"] == (string)taken["claim"]!["by"]!), ct);
    }

    /// <summary>The queue page's families to inform (the first page holds every item here).</summary>
    private static IEnumerable<JsonNode?> ToInform(JsonNode queue) => queue["items"]!.AsArray().Where(x => (string)x!["section"]! == "ToInform");

    /// <summary>Each node's queue is its own view of the journal: ask until it shows what the other node recorded.</summary>
    private static async Task UntilQueue(HttpClient client, Func<JsonNode, bool> done, CancellationToken ct)
    {
        JsonNode? last = null;
        for (var deadline = DateTime.UtcNow.AddSeconds(30); DateTime.UtcNow < deadline; await Task.Delay(100, ct))
        {
            last = await client.GetFromJsonAsync<JsonNode>("/api/family/queue", ct);
            if (done(last!)) return;
        }
        Assert.Fail($"the queue never showed it: {last?.ToJsonString()}");
    }
}

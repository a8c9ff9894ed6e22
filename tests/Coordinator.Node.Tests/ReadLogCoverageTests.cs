using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.Hosting;
using Coordinator.Cluster;
using Coordinator.Node.Http;
using Coordinator.Node.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Coordinator.Node.Tests;

/// <summary>
/// The read log is complete: every operation of the node's OpenAPI document whose answer carries a person's or an
/// inquiry's details, whatever its verb, leaves a read entry naming them. The operations are found in the document,
/// not listed by hand, so a new route with details fails here until it is called below (and logs its read).
/// </summary>
public class ReadLogCoverageTests : IAsyncLifetime
{
    /// <summary>The schemas that are personal details: a person's or an inquiry's, a family's contact, an inquiry's name in the queue.</summary>
    private static readonly HashSet<string> PersonalSchemas = ["PersonDetails", "InquiryDetails", "ContactView", "QueueItem"];

    /// <summary>
    /// Answers whose schema says nothing of what they hold (free JSON, files, streams, no body), judged one by one:
    /// a new one fails the walk until it is called below or put here with the reason it names no one.
    /// </summary>
    private static readonly Dictionary<string, string> NamesNoOne = new()
    {
        ["GET /healthz/live"] = "status words",
        ["GET /healthz/ready"] = "status words",
        ["GET /api/stream"] = "the monitors' changes: counts and ids; the family desk's changes go to its own stream",
        ["GET /api/facilities/{facilityId}/coverage"] = "visits: teams, times, counts of persons, no names",
        ["GET /api/admin/erasure-ledger"] = "ids of erased records only",
        ["POST /api/admin/backup"] = "the database file for a restore (details sealed, keys beside them): logged with who took it, not a read "
            + "of records (docs/security.md, The read log)",
    };

    private NodeUnderTest _node = null!;
    private Caller _desk = null!, _lead = null!;
    private string _person = null!;
    private const string Inquiry = "inq-1";

    /// <summary>A token the walk calls with; its id is in the subject of every read entry it leaves.</summary>
    private sealed record Caller(string Token, string Id, HttpClient Http);

    /// <summary>What a call showed, so what its read entry must name.</summary>
    private sealed record Shown(string[] Persons, string[] Inquiries);

    public async ValueTask InitializeAsync()
    {
        _node = await NodeUnderTest.StartAsync();
        await _node.EnterCellAsync();
        _person = await _node.FindPersonAsync(new { name = "محمد أحمد الحلبي", age = 38, homeTown = "حمص", takenTo = "Al-Mujtahid hospital" });
        _desk = await Issue("familydesk");
        _lead = await Issue("lead");
        // The desk answers from its view of the journal: wait (as the bootstrap, whose reads are not the walk's) until it holds the person.
        await Until(() => _node.Get($"/api/persons/{_person}"), r => r.Status == 200);
    }

    public async ValueTask DisposeAsync()
    {
        _desk.Http.Dispose();
        _lead.Http.Dispose();
        await _node.DisposeAsync();
    }

    private async Task<Caller> Issue(string role)
    {
        var issued = (await _node.Post("/api/tokens", new { role, expires = "1h" })).Body!;
        return new Caller((string)issued["token"]!, (string)issued["id"]!, _node.Client((string)issued["token"]!));
    }

    [Fact]
    public async Task Every_answer_with_a_persons_or_an_inquirys_details_is_in_the_read_log()
    {
        var document = (JsonObject)(await _node.Get("/openapi/v1.json")).Body!;
        var schemas = document["components"]!["schemas"]!.AsObject();
        var carrying = new List<string>();
        var unjudged = new List<string>();
        var routes = OpenApiDocument.Operations(document).Select(o => o.Route).ToHashSet();
        Assert.All(NamesNoOne.Keys, r => Assert.Contains(r, routes));
        foreach (var (route, operation) in OpenApiDocument.Operations(document))
        {
            var answers = (operation["responses"]?.AsObject() ?? []).Where(r => r.Key.StartsWith('2')).Select(r => r.Value!).ToList();
            var contents = answers.SelectMany(a => a["content"]?.AsObject().Select(c => c.Value!["schema"]) ?? [null]).ToList();
            var holds = contents.Select(s => Holds(s, schemas, [])).ToList();
            if (holds.Contains(Content.Personal)) carrying.Add(route);
            else if (holds.Contains(Content.Unknown) && !NamesNoOne.ContainsKey(route)) unjudged.Add(route);
        }
        Assert.Contains("POST /api/persons/{personId}/notice", carrying); // the walk sees what it is meant to
        Assert.Contains("GET /api/inquiries/{inquiryId}/contact", carrying);

        var walk = Walk();
        Assert.All(walk, w => Assert.True(carrying.Contains(w.Route) || unjudged.Contains(w.Route), $"{w.Route} is walked but names no one"));
        var unknown = carrying.Concat(unjudged).Where(r => walk.All(w => w.Route != r)).ToList();
        Assert.True(unknown.Count == 0, "answers with persons' or inquiries' details that this test does not call (add each to the walk, "
            + $"and log its read): {string.Join(", ", unknown)}");

        var missing = new List<string>();
        foreach (var (route, caller, call) in walk)
        {
            var before = await LastRead(caller);
            var shown = await call();
            if (!await Logged(caller, before, shown)) missing.Add(route);
        }
        Assert.True(missing.Count == 0, $"answered details without a read entry naming them: {string.Join(", ", missing)}");
    }

    [Fact]
    public async Task Without_the_read_log_no_details_are_sent_and_a_command_says_it_stood()
    {
        var (status, text) = await Send(_desk, HttpMethod.Post, "/api/inquiries", new { id = Inquiry, name = "Mohamed Ahmad Al-Halabi" });
        Assert.Equal(201, status);
        // The read log stops answering (its region gone); everything else on the node goes on.
        _node.Services.GetRequiredService<IActorRegistry>().Get<ReadLogRegion>().Tell(PoisonPill.Instance);

        foreach (var path in new[] { $"/api/inquiries/{Inquiry}", $"/api/persons/{_person}" })
        {
            (status, text) = await Send(_desk, HttpMethod.Get, path);
            Assert.Equal((503, "Unavailable"), (status, (string?)JsonNode.Parse(text!)!["code"]));
            Assert.DoesNotContain("Al-Halabi", text);
            Assert.DoesNotContain("الحلبي", text);
        }
        (status, text) = await Send(_desk, HttpMethod.Post, $"/api/inquiries/{Inquiry}/claim");
        Assert.Equal((503, "Unavailable"), (status, (string?)JsonNode.Parse(text!)!["code"]));
        Assert.DoesNotContain("Al-Halabi", text);
        Assert.Contains("case claimed: recorded, but the answer is not shown because its read could not be logged", text);
        Assert.Contains($"read it again with GET /api/inquiries/{Inquiry}", text);
        // The claim stands, as the problem says.
        var (claimed, _) = await _node.Services.GetRequiredService<Gateway>().InquiryAsync(Inquiry, TestContext.Current.CancellationToken);
        Assert.NotNull(claimed!.ClaimAt(DateTimeOffset.UtcNow));
    }

    /// <summary>Every operation whose answer carries details, in an order the record allows, each called so that it succeeds.</summary>
    private List<(string Route, Caller Caller, Func<Task<Shown>> Call)> Walk()
    {
        var person = new Shown([_person], []);
        var inquiry = new Shown([], [Inquiry]);
        var both = new Shown([_person], [Inquiry]);
        return
        [
            ("GET /api/persons", _desk, () => Ok(_desk, HttpMethod.Get, $"/api/persons?query={_person}", person)),
            ("GET /api/persons/{personId}", _desk, () => Ok(_desk, HttpMethod.Get, $"/api/persons/{_person}", person)),
            ("POST /api/persons/{personId}/corrections", _desk, () => Ok(_desk, HttpMethod.Post, $"/api/persons/{_person}/corrections", person,
                new { person = new { name = "محمد أحمد الحلبي", age = 38, homeTown = "حمص", takenTo = "Al-Mujtahid hospital, ward 3" },
                    reason = "the hospital named the ward" })),
            ("POST /api/persons/{personId}/notice", _desk, () => Ok(_desk, HttpMethod.Post, $"/api/persons/{_person}/notice", person,
                new { publish = true })),
            ("GET /api/facilities/{facilityId}/sectors/{sectorId}/history", _desk,
                () => Ok(_desk, HttpMethod.Get, "/api/facilities/saydnaya/sectors/B1-1/history", person)),
            ("POST /api/inquiries", _desk, () => Ok(_desk, HttpMethod.Post, "/api/inquiries", inquiry, new
            {
                id = Inquiry,
                name = "Mohamed Ahmad Al-Halabi",
                fatherName = "Ahmad",
                birthYear = 1987,
                homeTown = "Homs",
                contact = "+90 555 0100",
            })),
            ("GET /api/inquiries", _desk, () => Ok(_desk, HttpMethod.Get, "/api/inquiries", inquiry)),
            ("GET /api/inquiries/{inquiryId}", _desk, () => Ok(_desk, HttpMethod.Get, $"/api/inquiries/{Inquiry}", inquiry)),
            // Candidates come once the desk's view has matched them: asked until there.
            ("GET /api/persons/{personId}/candidates", _desk, () => Eventually(_desk, $"/api/persons/{_person}/candidates", both)),
            ("GET /api/inquiries/{inquiryId}/candidates", _desk, () => Eventually(_desk, $"/api/inquiries/{Inquiry}/candidates", both)),
            ("GET /api/family/queue", _desk, () => Eventually(_desk, "/api/family/queue", both)),
            ("POST /api/inquiries/{inquiryId}/claim", _desk, () => Ok(_desk, HttpMethod.Post, $"/api/inquiries/{Inquiry}/claim", inquiry)),
            ("POST /api/inquiries/{inquiryId}/release", _desk, () => Ok(_desk, HttpMethod.Post, $"/api/inquiries/{Inquiry}/release", inquiry)),
            ("POST /api/inquiries/{inquiryId}/matches", _desk, () => Ok(_desk, HttpMethod.Post, $"/api/inquiries/{Inquiry}/matches", both,
                new { personId = _person, decision = "Confirmed" })),
            ("GET /api/inquiries/{inquiryId}/contact", _desk, () => Ok(_desk, HttpMethod.Get, $"/api/inquiries/{Inquiry}/contact", both)),
            ("POST /api/inquiries/{inquiryId}/informed", _desk, () => Ok(_desk, HttpMethod.Post, $"/api/inquiries/{Inquiry}/informed", both,
                new { personId = _person, how = "Phone" })),
            ("GET /api/family/export/matches.csv", _desk, () => Eventually(_desk, "/api/family/export/matches.csv", both)),
            ("GET /api/family/export/inquiries.csv", _desk, () => Eventually(_desk, "/api/family/export/inquiries.csv", inquiry)),
            ("GET /api/family/stream", _desk, () => StreamShows(_desk, inquiry)),
            ("GET /api/audit", _lead, () => Ok(_lead, HttpMethod.Get, $"/api/audit?person={_person}", person)),
            ("POST /api/inquiries/{inquiryId}/close", _desk, () => Ok(_desk, HttpMethod.Post, $"/api/inquiries/{Inquiry}/close", both,
                new { outcome = "Reunited" })),
            ("POST /api/persons/{personId}/erase", _lead, () => Ok(_lead, HttpMethod.Post, $"/api/persons/{_person}/erase", person,
                new { reason = "asked by the family, request 17" })),
            ("POST /api/inquiries/{inquiryId}/erase", _lead, () => Ok(_lead, HttpMethod.Post, $"/api/inquiries/{Inquiry}/erase", inquiry,
                new { reason = "asked by the family, request 17" })),
        ];
    }

    private enum Content { Nothing, Personal, Unknown }

    /// <summary>
    /// What a response schema holds, through its $refs: a personal schema, or something whose content the schema does not
    /// say (free JSON, a file, a stream, no body), or neither.
    /// </summary>
    private static Content Holds(JsonNode? schema, JsonObject schemas, HashSet<string> seen)
    {
        if (schema is not JsonObject s || s.Count == 0) return Content.Unknown;
        if ((string?)s["$ref"] is { } reference)
        {
            var name = reference[(reference.LastIndexOf('/') + 1)..];
            if (PersonalSchemas.Contains(name)) return Content.Personal;
            return seen.Add(name) ? Holds(schemas[name], schemas, seen) : Content.Nothing;
        }
        if ((string?)s["format"] == "binary") return Content.Unknown;
        var parts = (s["properties"]?.AsObject().Select(p => p.Value) ?? [])
            .Concat(new[] { "oneOf", "anyOf", "allOf" }.SelectMany(k => s[k]?.AsArray() ?? []))
            .Append(s["items"]).Append(s["additionalProperties"] as JsonObject).OfType<JsonNode>()
            .Select(p => Holds(p, schemas, seen)).ToList();
        return parts.Contains(Content.Personal) ? Content.Personal : parts.Contains(Content.Unknown) ? Content.Unknown : Content.Nothing;
    }

    private async Task<Shown> Ok(Caller caller, HttpMethod method, string path, Shown shown, object? body = null)
    {
        var (status, text) = await Send(caller, method, path, body);
        Assert.True(status is >= 200 and < 300, $"{method} {path} answered {status}: {text}");
        return shown;
    }

    /// <summary>A read whose answer names the records once the desk's view has caught up: asked until it does.</summary>
    private async Task<Shown> Eventually(Caller caller, string path, Shown shown)
    {
        await Until(async () => await Send(caller, HttpMethod.Get, path),
            r => r.Status == 200 && shown.Persons.Concat(shown.Inquiries).All(r.Text!.Contains));
        return shown;
    }

    /// <summary>The desk's stream from the start of the journal, read until it has sent the inquiry.</summary>
    private async Task<Shown> StreamShows(Caller caller, Shown shown)
    {
        await using var stream = await SseClient.ConnectAsync(_node.BaseAddress, "/api/family/stream", caller.Token, lastEventId: "0-0");
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (await stream.NextAsync(deadline - DateTime.UtcNow) is { } e)
            if (e.Event == "family-inquiry" && (string?)e.Data!["data"]!["id"] == Inquiry) return shown;
        Assert.Fail($"the family desk's stream never sent inquiry {Inquiry}");
        return shown;
    }

    private static async Task<(int Status, string? Text)> Send(Caller caller, HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null || method == HttpMethod.Post)
            request.Content = new StringContent(NodeUnderTest.Json(body ?? new { }), System.Text.Encoding.UTF8, "application/json");
        using var response = await caller.Http.SendAsync(request, TestContext.Current.CancellationToken);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    /// <summary>The caller's read entries, read from the audit trail by the bootstrap (whose own read there is not the caller's).</summary>
    private async Task<JsonArray> Reads(Caller caller)
    {
        return [.. (await _node.All($"/api/audit?subject={caller.Id}")).Where(e => (string)e!["event"]! == "PersonRecordsRead")
            .Select(e => e!.DeepClone())];
    }

    private async Task<long> LastRead(Caller caller) => (await Reads(caller)).Select(e => (long)e!["offset"]!).DefaultIfEmpty(0).Max();

    /// <summary>Whether a read entry of the caller's after <paramref name="after"/> names everything shown (the trail read until it does).</summary>
    private async Task<bool> Logged(Caller caller, long after, Shown shown)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        do
        {
            var named = (await Reads(caller)).Where(e => (long)e!["offset"]! > after).Any(e =>
                shown.Persons.All(p => e!["data"]!["persons"]!.AsArray().Any(x => (string?)x == p))
                && shown.Inquiries.All(i => e!["data"]!["inquiries"]!.AsArray().Any(x => (string?)x == i)));
            if (named) return true;
            await Task.Delay(50, TestContext.Current.CancellationToken);
        } while (DateTime.UtcNow < deadline);
        return false;
    }

    private static async Task Until<T>(Func<Task<T>> ask, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var answer = await ask();
            if (done(answer)) return;
            Assert.True(DateTime.UtcNow < deadline, $"never satisfied the test: {answer}");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }
}

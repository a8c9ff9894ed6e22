using System.Text.Json.Nodes;
using Coordinator.Node.Tests.Support;

namespace Coordinator.Node.Tests;

/// <summary>
/// The case after a match, over HTTP on a real node: whom to call (the desk's officers only, once a match is
/// confirmed, every answer logged), the steps in order with their codes, the shared work queue and its claims,
/// and the family's slip.
/// </summary>
public class FamilyCaseTests : IAsyncLifetime
{
    private NodeUnderTest _node = null!;
    private HttpClient _rana = null!, _sami = null!;
    private string _person = null!;

    public async ValueTask InitializeAsync()
    {
        _node = await NodeUnderTest.StartAsync("--Coordinator:Api:DeskContact=Family desk, Damascus: +963 11 000 0000");
        await _node.EnterCellAsync();
        _person = await _node.FindPersonAsync(new
        {
            name = "محمد أحمد الحلبي",
            age = 38,
            homeTown = "حمص",
            condition = "weak, dehydrated",
            takenTo = "Al-Mujtahid hospital",
        });
        _rana = _node.Client(await Token("familydesk"));
        _sami = _node.Client(await Token("familydesk"));
        Assert.Equal(201, (await Send(_rana, HttpMethod.Post, "/api/inquiries", new
        {
            id = "inq-1",
            name = "Mohamed Ahmad Al-Halabi",
            fatherName = "Ahmad",
            birthYear = 1987,
            homeTown = "Homs",
            contact = "+90 555 0100",
        })).Status);
        // A match is decided against the desk's view: wait until it holds the person found.
        await Until(_rana, $"/api/persons/{_person}", _ => true);
    }

    public async ValueTask DisposeAsync()
    {
        _rana.Dispose();
        _sami.Dispose();
        await _node.DisposeAsync();
    }

    private async Task<string> Token(string role) => (string)(await _node.Post("/api/tokens", new { role, expires = "1h" })).Body!["token"]!;

    private static async Task<(int Status, JsonNode? Body)> Send(HttpClient client, HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = new StringContent(NodeUnderTest.Json(body), System.Text.Encoding.UTF8, "application/json");
        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return ((int)response.StatusCode, text.TrimStart().StartsWith('{')
            || text.TrimStart().StartsWith('[') ? JsonNode.Parse(text) : JsonValue.Create(text));
    }

    private static Task<(int Status, JsonNode? Body)> Post(HttpClient client, string path, object? body = null) =>
        Send(client, HttpMethod.Post, path, body ?? new { });

    /// <summary>The views trail the writes by a poll of the journal: ask again until the answer is there.</summary>
    private static async Task<JsonNode> Until(HttpClient client, string path, Func<JsonNode, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var (status, body) = await Send(client, HttpMethod.Get, path);
            if (status == 200 && done(body!)) return body!;
            Assert.True(DateTime.UtcNow < deadline, $"GET {path} never satisfied the test: {status} {body?.ToJsonString()}");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    private static bool Lists(JsonNode queue, string section, string inquiry) =>
        Section(queue, section).Any(q => (string)q["inquiryId"]! == inquiry);

    /// <summary>The queue page's items of one section (the first page holds them all here).</summary>
    private static List<JsonNode> Section(JsonNode queue, string section) =>
        [.. queue["items"]!.AsArray().Where(q => (string)q!["section"]! == section).Select(q => q!)];

    [Fact]
    public async Task From_inquiry_to_reunion_each_step_in_order_and_the_contact_only_to_the_desk_after_the_match()
    {
        // Before a confirmed match: no contact, no informing, no reunion; the strong candidate waits in the queue.
        Assert.Equal((409, "MatchNotConfirmed"), await Code(_rana, HttpMethod.Get, "/api/inquiries/inq-1/contact"));
        Assert.Equal((409, "MatchNotConfirmed"),
            await Code(_rana, HttpMethod.Post, "/api/inquiries/inq-1/informed", new { personId = _person, how = "Phone" }));
        Assert.Equal((409, "FamilyNotInformed"), await Code(_rana, HttpMethod.Post, "/api/inquiries/inq-1/close", new { outcome = "Reunited" }));
        Assert.Equal((409, "MatchNotConfirmed"), await Code(_rana, HttpMethod.Post, "/api/inquiries/inq-1/slip-link"));
        var queue = await Until(_rana, "/api/family/queue", q => Lists(q, "Strong", "inq-1"));
        Assert.Equal(_person, (string)Section(queue, "Strong")[0]["personId"]!);
        Assert.Null((string?)(await Send(_rana, HttpMethod.Get, "/api/inquiries/inq-1")).Body!["details"]!["contact"]); // never in the inquiry itself

        Assert.Equal(200, (await Post(_rana, "/api/inquiries/inq-1/matches", new { personId = _person, decision = "Confirmed" })).Status);
        queue = await Until(_rana, "/api/family/queue", q => Lists(q, "ToInform", "inq-1") && !Lists(q, "Strong", "inq-1"));

        var (status, contact) = await Send(_rana, HttpMethod.Get, "/api/inquiries/inq-1/contact");
        Assert.Equal((200, "+90 555 0100", _person), (status, (string?)contact!["contact"], (string?)contact["confirmedPersons"]![0]));
        // Leads and monitors see the case, never whom to call.
        using var lead = _node.Client(await Token("lead"));
        using var monitor = _node.Client(await Token("monitor"));
        Assert.Equal(403, (await Send(lead, HttpMethod.Get, "/api/inquiries/inq-1/contact")).Status);
        Assert.Equal(403, (await Send(monitor, HttpMethod.Get, "/api/inquiries/inq-1/contact")).Status);
        Assert.Null((string?)(await Send(lead, HttpMethod.Get, "/api/inquiries/inq-1")).Body!["details"]!["contact"]);
        var leadCsv = (string)(await Send(lead, HttpMethod.Get, "/api/family/export/matches.csv")).Body!;
        Assert.DoesNotContain("555 0100", leadCsv);
        Assert.Contains("555 0100", (string)(await Until(_rana, "/api/family/export/matches.csv", c => ((string)c!).Contains(_person)))!);
        // Each showing of the contact is in the read log, with who read it.
        using var admin = _node.Client(NodeUnderTest.BootstrapToken);
        await Until(admin, $"/api/audit?person={_person}", audit => audit["items"]!.AsArray().Any(e => (string)e!["event"]! == "PersonRecordsRead"
            && (string)e["data"]!["purpose"]! == "contact after a confirmed match" && ((string)e["by"]!).StartsWith("familydesk:")));

        Assert.Equal((400, "InvalidField"), await Code(_rana, HttpMethod.Post, "/api/inquiries/inq-1/informed",
            new { personId = _person, how = "Pigeon" }));
        Assert.Equal((400, "InvalidField"), await Code(_rana, HttpMethod.Post, "/api/inquiries/inq-1/informed", new { personId = _person }));
        Assert.Equal((409, "MatchNotConfirmed"),
            await Code(_rana, HttpMethod.Post, "/api/inquiries/inq-1/informed", new { personId = "p-someone-else", how = "Phone" }));
        var (informedStatus, informed) = await Post(_rana, "/api/inquiries/inq-1/informed",
            new { personId = _person, how = "Phone", notes = "spoke to his brother" });
        Assert.Equal(200, informedStatus);
        Assert.Equal(("FamilyInformed", "Phone", "spoke to his brother"),
            ((string?)informed!["stage"], (string?)informed["informed"]!["how"], (string?)informed["informed"]!["notes"]));
        Assert.StartsWith("familydesk:", (string)informed["informed"]!["by"]!);
        await Until(_rana, "/api/family/queue", q => !Lists(q, "ToInform", "inq-1"));

        // The family's slip, in both languages: where he is now, and how to reach the desk.
        foreach (var (lang, heading) in new[] { ("ar", "مكتب العائلات"), ("en", "Family desk") })
        {
            var (linkStatus, link) = await Post(_rana, $"/api/inquiries/inq-1/slip-link?lang={lang}");
            Assert.Equal(200, linkStatus);
            using var anonymous = _node.Client(null);
            var html = await anonymous.GetStringAsync((string)link!["url"]!, TestContext.Current.CancellationToken);
            Assert.Contains($"lang=\"{lang}\" dir=\"{(lang == "ar" ? "rtl" : "ltr")}\"", html);
            Assert.Contains(heading, html);
            Assert.Contains("Al-Mujtahid hospital", html);
            Assert.Contains("+963 11 000 0000", html);
            Assert.DoesNotContain("555 0100", html);
        }

        Assert.Equal((400, "InvalidField"), await Code(_rana, HttpMethod.Post, "/api/inquiries/inq-1/close", new { outcome = "Vanished" }));
        var (closeStatus, closed) = await Post(_rana, "/api/inquiries/inq-1/close", new { outcome = "Reunited", reason = "met at the hospital" });
        Assert.Equal((200, "Closed", "Reunited"), (closeStatus, (string?)closed!["stage"], (string?)closed["outcome"]));
        Assert.Equal((409, "InquiryClosed"), await Code(_rana, HttpMethod.Post, "/api/inquiries/inq-1/claim"));
    }

    [Fact]
    public async Task Two_officers_share_the_queue_one_claims_and_the_other_sees_who_holds_the_case()
    {
        Assert.Equal(200, (await Post(_rana, "/api/inquiries/inq-1/matches", new { personId = _person, decision = "Confirmed" })).Status);
        var (status, claimed) = await Post(_rana, "/api/inquiries/inq-1/claim");
        Assert.Equal(200, status);
        var holder = (string)claimed!["claim"]!["by"]!;
        Assert.StartsWith("familydesk:", holder);

        var (refusedStatus, refused) = await Post(_sami, "/api/inquiries/inq-1/claim");
        Assert.Equal((409, "CaseClaimedByOther"), (refusedStatus, (string?)refused!["code"]));
        Assert.Contains(holder, (string)refused["detail"]!);
        Assert.Equal((409, "CaseClaimedByOther"),
            await Code(_sami, HttpMethod.Post, "/api/inquiries/inq-1/informed", new { personId = _person, how = "Phone" }));
        Assert.Equal((409, "CaseClaimedByOther"), await Code(_sami, HttpMethod.Post, "/api/inquiries/inq-1/release"));

        // The other officer's queue shows the case taken, and by whom.
        var queue = await Until(_sami, "/api/family/queue",
            q => Section(q, "ToInform").Any(x => (string)x["inquiryId"]! == "inq-1" && x["claim"] is not null));
        Assert.Equal(holder, (string)Section(queue, "ToInform")[0]["claim"]!["by"]!);

        Assert.Equal(200, (await Post(_rana, "/api/inquiries/inq-1/release")).Status);
        await Until(_sami, "/api/family/queue", q => Section(q, "ToInform").Any(x => (string)x["inquiryId"]! == "inq-1" && x["claim"] is null));
        (status, claimed) = await Post(_sami, "/api/inquiries/inq-1/claim");
        Assert.Equal(200, status);
        Assert.NotEqual(holder, (string)claimed!["claim"]!["by"]!);
        Assert.Equal((400, "InvalidField"), await Code(_sami, HttpMethod.Get, "/api/family/queue?days=0"));
    }

    [Fact]
    public async Task The_notice_board_lists_only_the_names_the_desk_chose_to_publish()
    {
        async Task<string> Print(string lang)
        {
            var (status, link) = await Post(_rana, $"/api/facilities/saydnaya/notice-board-link?lang={lang}");
            Assert.Equal(200, status);
            using var anonymous = _node.Client(null);
            return await anonymous.GetStringAsync((string)link!["url"]!, TestContext.Current.CancellationToken);
        }
        await Until(_rana, $"/api/persons/{_person}", p => (bool)p["onNoticeBoard"]! == false);
        Assert.DoesNotContain("محمد أحمد الحلبي", await Print("en")); // not published unless the desk says so

        Assert.Equal((400, "InvalidField"), await Code(_rana, HttpMethod.Post, $"/api/persons/{_person}/notice", new { }));
        Assert.Equal((404, "PersonNotFound"), await Code(_rana, HttpMethod.Post, "/api/persons/p-0000000000000000/notice", new { publish = true }));
        var (status, published) = await Post(_rana, $"/api/persons/{_person}/notice", new { publish = true });
        Assert.Equal((200, true), (status, (bool)published!["onNoticeBoard"]!));
        await Until(_rana, $"/api/persons/{_person}", p => (bool)p["onNoticeBoard"]!);
        var arabic = await Print("ar");
        Assert.Contains("lang=\"ar\" dir=\"rtl\"", arabic);
        Assert.Contains("محمد أحمد الحلبي", arabic);
        Assert.DoesNotContain("Al-Mujtahid", arabic); // names only
        Assert.Contains("محمد أحمد الحلبي", await Print("en"));

        Assert.Equal(200, (await Post(_rana, $"/api/persons/{_person}/notice", new { publish = false })).Status);
        await Until(_rana, $"/api/persons/{_person}", p => !(bool)p["onNoticeBoard"]!);
        Assert.DoesNotContain("محمد أحمد الحلبي", await Print("en"));
        Assert.Equal((404, "FacilityNotFound"), await Code(_rana, HttpMethod.Post, "/api/facilities/nowhere/notice-board-link"));
    }

    private static async Task<(int, string?)> Code(HttpClient client, HttpMethod method, string path, object? body = null)
    {
        var (status, answer) = await Send(client, method, path, body ?? (method == HttpMethod.Post ? new { } : null));
        return (status, (string?)answer?["code"]);
    }
}

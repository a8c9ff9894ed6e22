using System.Text.Json.Nodes;
using Coordinator.Node.Tests.Support;

namespace Coordinator.Node.Tests;

/// <summary>
/// Every list a page at a time, on a real node: a walk shows each item once in the list's order, stays right while
/// records arrive between its pages, refuses a limit out of range or a cursor not its own, and logs one read per page
/// naming only that page's records.
/// </summary>
public class PagingTests : IAsyncLifetime
{
    private static readonly string[] Given =
        ["Omar", "Youssef", "Samir", "Bassam", "Fadi", "Rami", "Nabil", "Tarek", "Walid", "Ziad", "Hani", "Adnan"];

    private NodeUnderTest _node = null!;
    private HttpClient _desk = null!;

    public async ValueTask InitializeAsync()
    {
        _node = await NodeUnderTest.StartAsync();
        await _node.EnterCellAsync();
        _desk = _node.Client((string)(await _node.Post("/api/tokens", new { role = "familydesk", expires = "1h" })).Body!["token"]!);
    }

    public async ValueTask DisposeAsync()
    {
        _desk.Dispose();
        await _node.DisposeAsync();
    }

    /// <summary>Three reports of four persons each, all Haddad, sons of Khalil, born 1980 on: each report raises a medical alert.</summary>
    private async Task<List<string>> FindPersons(string batch = "a", int reports = 3)
    {
        var ids = new List<string>();
        for (var r = 0; r < reports; r++)
        {
            var (status, found) = await _node.Post("/api/reports", new
            {
                reportId = $"r-{batch}-{r}",
                teamId = "SAR-1",
                facilityId = "saydnaya",
                sectorId = "B1-1",
                kind = "PersonsFound",
                alive = 4,
                needsMedical = true,
                persons = Enumerable.Range(r * 4, 4).Select(i => new { name = $"{Given[i]} Haddad", fatherName = "Khalil", birthYear = 1980 + i }),
            });
            Assert.Equal(200, status);
            ids.AddRange(found!["persons"]!.AsArray().Select(p => (string)p!));
        }
        await Until(_desk, $"/api/persons/{ids[^1]}", _ => true);
        return ids;
    }

    private async Task<List<string>> RegisterInquiries(string prefix, int count)
    {
        var ids = Enumerable.Range(0, count).Select(i => $"{prefix}-{i:D2}").ToList();
        foreach (var (id, i) in ids.Select((id, i) => (id, i)))
            Assert.Equal(201, (int)(await _desk.PostAsync("/api/inquiries", new StringContent(NodeUnderTest.Json(
                new { id, name = $"{Given[i % Given.Length]} Haddad", fatherName = "Mahmoud", birthYear = 1950 + i }),
                System.Text.Encoding.UTF8, "application/json"), Ct)).StatusCode);
        await Until(_desk, "/api/inquiries?status=all&limit=1000",
            l => l["items"]!.AsArray().Count(i => ((string)i!["id"]!).StartsWith(prefix)) == count);
        return ids;
    }

    [Fact]
    public async Task Every_list_walked_a_page_at_a_time_shows_each_item_once_in_its_order()
    {
        var persons = await FindPersons();
        await RegisterInquiries("inq", 25);
        // Inquiries about the first five persons, told apart by father and year: strong candidates for the queue.
        foreach (var i in Enumerable.Range(0, 5))
            Assert.Equal(201, (int)(await _desk.PostAsync("/api/inquiries", new StringContent(NodeUnderTest.Json(
                new { id = $"strong-{i}", name = $"{Given[i]} Haddad", fatherName = "Khalil", birthYear = 1980 + i }),
                System.Text.Encoding.UTF8, "application/json"), Ct)).StatusCode);
        await Until(_desk, "/api/family/queue?limit=1000", q => q["items"]!.AsArray().Count >= 5);

        var lists = new (string Path, HttpClient Reader, int Limit, Func<JsonNode, IComparable> Order, bool Descending)[]
        {
            ("/api/inquiries", _desk, 7, i => (DateTimeOffset)i["registeredAt"]!, true),
            ("/api/inquiries?query=Haddad", _desk, 4, i => (DateTimeOffset)i["registeredAt"]!, true),
            ("/api/persons?query=Haddad", _desk, 5, p => 0, false),
            ("/api/audit", _node.Http, 9, e => (long)e["offset"]!, true),
            ("/api/facilities/saydnaya/sectors/B1-1/history", _node.Http, 2, h => (long)h["sequence"]!, false),
            ("/api/alerts", _node.Http, 2, a => (DateTimeOffset)a["at"]!, true),
            ("/api/family/queue", _desk, 2, q => (string)q["section"]!, false),
        };
        foreach (var (path, reader, limit, order, descending) in lists)
        {
            // The audit grows by each page's read: read it whole first, so the walk is compared with what was there before it.
            var whole = await Page(reader, path, 1000);
            var walked = await NodeUnderTest.All(reader, path, limit);
            var pages = (int)Math.Ceiling(whole.Items.Count / (double)limit);
            Assert.True(whole.Items.Count > limit, $"{path}: too few items ({whole.Items.Count}) to need pages of {limit}");
            Assert.Null(whole.Next);
            var expected = path == "/api/audit" ? walked.TakeLast(whole.Items.Count) : walked;
            Assert.Equal(whole.Items.Select(Key), expected.Select(Key));
            Assert.Equal(walked.Count, walked.Select(Key).Distinct().Count());
            var keys = walked.Select(i => order(i!)).ToList();
            Assert.Equal(descending ? keys.OrderDescending() : keys.Order(), keys);
            Assert.True(pages > 1, path);
        }
        Assert.Equal(persons.Order(StringComparer.Ordinal), (await NodeUnderTest.All(_desk, "/api/persons?query=Haddad", 5)).Select(Key));
    }

    [Fact]
    public async Task A_walk_stays_right_while_records_arrive_between_its_pages()
    {
        var persons = await FindPersons("a", 2);
        var inquiries = await RegisterInquiries("old", 12);
        var audited = await NodeUnderTest.All(_node.Http, "/api/audit");
        var history = await NodeUnderTest.All(_node.Http, "/api/facilities/saydnaya/sectors/B1-1/history");

        var (inquiriesWalk, personsWalk) = (await Page(_desk, "/api/inquiries", 5), await Page(_desk, "/api/persons?query=Haddad", 3));
        var auditWalk = await Page(_node.Http, "/api/audit", 5);
        var historyWalk = await Page(_node.Http, "/api/facilities/saydnaya/sectors/B1-1/history", 2);

        // Between the first page and the rest: new inquiries, new persons (more events in the sector, the audit, the alerts).
        await RegisterInquiries("new", 6);
        var added = await FindPersons("b", 1);

        var inquiriesSeen = await Rest(_desk, "/api/inquiries", 5, inquiriesWalk);
        // Newest first: the new inquiries sort before the cursor, so the walk shows the old ones, each once, none skipped.
        Assert.Equal(inquiries.Order(), inquiriesSeen.Order());
        var personsSeen = await Rest(_desk, "/api/persons?query=Haddad", 3, personsWalk);
        Assert.Equal(personsSeen.Count, personsSeen.Distinct().Count());
        Assert.Subset(personsSeen.ToHashSet(), persons.ToHashSet());
        Assert.Subset(persons.Concat(added).ToHashSet(), personsSeen.ToHashSet());
        // Newest first: the walk is what was there at its first page (the reads just before it, then everything read before),
        // and nothing recorded after.
        var auditSeen = await Rest(_node.Http, "/api/audit", 5, auditWalk);
        Assert.Equal(audited.Select(Key), auditSeen.TakeLast(audited.Count));
        Assert.Equal(auditSeen.Count, auditSeen.Distinct().Count());
        Assert.All(auditSeen, offset => Assert.True(long.Parse(offset) <= long.Parse(auditSeen[0])));
        // Oldest first: what was recorded during the walk comes after its cursor, once.
        var historySeen = await Rest(_node.Http, "/api/facilities/saydnaya/sectors/B1-1/history", 2, historyWalk);
        Assert.Equal(history.Select(Key), historySeen.Take(history.Count));
        Assert.Equal((await NodeUnderTest.All(_node.Http, "/api/facilities/saydnaya/sectors/B1-1/history")).Select(Key), historySeen);
    }

    [Fact]
    public async Task A_limit_out_of_range_or_a_cursor_not_the_list_s_own_is_refused()
    {
        await FindPersons("a", 1);
        await RegisterInquiries("inq", 3);
        var routes = new (string Path, HttpClient Reader)[]
        {
            ("/api/inquiries?status=all", _desk), ("/api/inquiries?query=Haddad", _desk), ("/api/persons?query=Haddad", _desk),
            ("/api/audit", _node.Http), ("/api/facilities/saydnaya/sectors/B1-1/history", _node.Http), ("/api/alerts", _node.Http),
            ("/api/alerts?open=true", _node.Http), ("/api/family/queue", _desk),
        };
        var another = (await Page(_desk, "/api/inquiries?status=all", 1)).Next!;
        var otherSector = Cursor("history saydnaya/B1", "0000000000000000001");
        foreach (var (path, reader) in routes)
        {
            foreach (var limit in new[] { "0", "-1", "1001" })
            {
                var (status, problem) = await Get(reader, $"{path}{(path.Contains('?') ? '&' : '?')}limit={limit}");
                Assert.Equal((400, "InvalidField"), (status, (string?)problem["code"]));
                Assert.Contains("'limit' must be 1-1000", (string)problem["detail"]!);
            }
            foreach (var (cursor, why) in new[] { ("not-a-cursor!", "not a cursor this node gave"), ("AAAA", "not a cursor this node gave"),
                (path.StartsWith("/api/inquiries") ? otherSector : another, "another list's") })
            {
                var (status, problem) = await Get(reader, $"{path}{(path.Contains('?') ? '&' : '?')}cursor={Uri.EscapeDataString(cursor)}");
                Assert.Equal((400, "CursorInvalid"), (status, (string?)problem["code"]));
                Assert.Contains(why, (string)problem["detail"]!);
            }
        }
        // A cursor of one sector's history is not another's.
        var b11 = (await Page(_node.Http, "/api/facilities/saydnaya/sectors/B1-1/history", 1)).Next!;
        Assert.Equal((400, "CursorInvalid"), await Code(_node.Http, $"/api/facilities/saydnaya/sectors/B1/history?cursor={b11}"));
    }

    [Fact]
    public async Task Each_page_is_one_read_in_the_log_naming_only_that_page_s_records()
    {
        var persons = await FindPersons();
        await RegisterInquiries("inq", 10);
        var pages = new List<Shown>();
        var next = (string?)null;
        do
        {
            var page = await Page(_desk, "/api/inquiries" + (next is null ? "" : $"?cursor={next}"), 4);
            pages.Add(page);
            next = page.Next;
        } while (next is not null);
        var personPages = new[] { await Page(_desk, "/api/persons?query=Haddad", 5) };
        personPages = [.. personPages, await Page(_desk, $"/api/persons?query=Haddad&cursor={personPages[0].Next}", 5)];

        var reads = (await NodeUnderTest.All(_node.Http, "/api/audit")).Where(e => (string)e!["event"]! == "PersonRecordsRead"
            && ((string)e["by"]!).StartsWith("familydesk:")).Reverse().ToList();
        // The walk's reads are the last of their purpose (setting up polled the list too).
        var listReads = reads.Where(e => (string)e!["data"]!["purpose"]! == "inquiry list").TakeLast(pages.Count).ToList();
        Assert.Equal(pages.Select(p => Names(p.Items.Select(Key))), listReads.Select(e => Names(Strings(e!["data"]!["inquiries"]))));
        Assert.All(listReads, e => Assert.Empty(e!["data"]!["persons"]!.AsArray()));
        var searchReads = reads.Where(e => (string)e!["data"]!["purpose"]! == "person search").ToList();
        Assert.Equal(personPages.Select(p => Names(p.Items.Select(Key))), searchReads.Select(e => Names(Strings(e!["data"]!["persons"]))));
        Assert.Equal(10, personPages.Sum(p => p.Items.Count));
        Assert.Subset(persons.ToHashSet(), searchReads.SelectMany(e => Strings(e!["data"]!["persons"])).ToHashSet());
    }

    private sealed record Shown(List<JsonNode?> Items, string? Next);

    private static async Task<Shown> Page(HttpClient reader, string path, int limit)
    {
        var (status, body) = await Get(reader, $"{path}{(path.Contains('?') ? '&' : '?')}limit={limit}");
        Assert.True(status == 200, $"GET {path}: {status} {body.ToJsonString()}");
        return new Shown([.. body["items"]!.AsArray().Select(i => i?.DeepClone())], (string?)body["next"]);
    }

    /// <summary>The keys of a walk's first page and of the pages after it, each read with the cursor of the one before.</summary>
    private static async Task<List<string>> Rest(HttpClient reader, string path, int limit, Shown first)
    {
        var seen = first.Items.Select(Key).ToList();
        for (var next = first.Next; next is not null;)
        {
            var page = await Page(reader, $"{path}{(path.Contains('?') ? '&' : '?')}cursor={Uri.EscapeDataString(next)}", limit);
            seen.AddRange(page.Items.Select(Key));
            next = page.Next;
        }
        return seen;
    }

    /// <summary>What tells an item apart in its list: an id, an offset, a sequence, a queue line's inquiry and person.</summary>
    private static string Key(JsonNode? item) =>
        item!["inquiryId"] is { } inquiry ? $"{inquiry}/{item["personId"]}/{item["section"]}"
        : item["offset"] is { } offset ? $"{offset}"
        : item["sequence"] is { } sequence ? $"{sequence}"
        : item["kind"] is { } kind ? $"{item["id"]}/{kind}/{item["team"]}"
        : (string)item["id"]!;

    private static IEnumerable<string> Strings(JsonNode? array) => array!.AsArray().Select(s => (string)s!);

    /// <summary>A page's records as one comparable text, whatever their order.</summary>
    private static string Names(IEnumerable<string> ids) => string.Join(",", ids.Order(StringComparer.Ordinal));

    /// <summary>A cursor as the node makes one, for a list it is not (its format is the node's, opaque to clients).</summary>
    private static string Cursor(string list, string key) =>
        Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"c1\n{list}\n{key}")).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static async Task<(int Status, JsonNode Body)> Get(HttpClient reader, string path)
    {
        using var response = await reader.GetAsync(path, Ct);
        return ((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!);
    }

    private static async Task<(int, string?)> Code(HttpClient reader, string path)
    {
        var (status, body) = await Get(reader, path);
        return (status, (string?)body["code"]);
    }

    private static async Task<JsonNode> Until(HttpClient reader, string path, Func<JsonNode, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var (status, body) = await Get(reader, path);
            if (status == 200 && done(body)) return body;
            Assert.True(DateTime.UtcNow < deadline, $"GET {path} never satisfied the test: {status} {body.ToJsonString()}");
            await Task.Delay(50, Ct);
        }
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;
}

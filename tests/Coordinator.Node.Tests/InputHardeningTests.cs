using Coordinator.Node.Tests.Support;

namespace Coordinator.Node.Tests;

/// <summary>
/// A null inside a JSON array, an absurd token lifetime, and a name with an invisible, control or line-breaking code point are
/// each refused with 400 and a problem naming the field — never a 500 — and a refusal changes nothing.
/// </summary>
public class InputHardeningTests : IAsyncLifetime
{
    private NodeUnderTest _node = null!;

    public async ValueTask InitializeAsync()
    {
        _node = await NodeUnderTest.StartAsync();
        await _node.EnterCellAsync();
        // The views trail the commands by a moment: wait until they hold still before comparing them.
        for (var (last, now) = ("", await Record()); last != now; await Task.Delay(300, TestContext.Current.CancellationToken)) (last, now) = (now,
            await Record());
    }

    public async ValueTask DisposeAsync() => await _node.DisposeAsync();

    // What the record says, less the clock (a team's seconds on site count up by themselves).
    private async Task<string> Record() => System.Text.RegularExpressions.Regex.Replace(string.Join("\n", await Task.WhenAll(
        new[] { "/api/facilities", "/api/facilities/saydnaya", "/api/facilities/saydnaya/sectors/B1-1", "/api/teams", "/api/inquiries",
            "/api/persons?query=a", "/api/tokens" }.Select(_node.Read))), "\"secondsOn(Site|Duty)\":\\d+", "");

    private async Task Refused(HttpMethod method, string path, string body, string names)
    {
        var before = await Record();
        var (status, problem) = await _node.Send(method, path, body);
        Assert.True(status == 400, $"{path} {body}: {status} {problem}");
        Assert.Equal("InvalidField", (string?)problem?["code"] ?? (string?)problem?["title"]);
        Assert.Contains(names, (string?)problem?["detail"]);
        Assert.Equal(before, await Record());
    }

    [Fact]
    public async Task A_null_inside_an_array_is_refused_naming_the_field()
    {
        await Refused(HttpMethod.Post, "/api/facilities", """{"id":"f2","name":"F","aliases":["a",null]}""", "aliases");
        await Refused(HttpMethod.Put, "/api/facilities/saydnaya/layout", """{"sectors":[{"id":"B1","kind":"Level"},null]}""", "sectors");
        await Refused(HttpMethod.Post, "/api/reports",
            """{"reportId":"r-p","teamId":"SAR-1","facilityId":"saydnaya","sectorId":"B1-1","kind":"PersonsFound","alive":1,"persons":[null]}""",
            "persons");
        await Refused(HttpMethod.Post, "/api/reports",
            """{"reportId":"r-p","teamId":"SAR-1","facilityId":"saydnaya","sectorId":"B1-1","kind":"PersonsFound","alive":1"""
                + ""","persons":[{"name":"A","altNames":[null]}]}""",
            "altNames");
        await Refused(HttpMethod.Post, "/api/inquiries", """{"id":"inq-1","name":"Rana","altNames":["x",null]}""", "altNames");
    }

    [Theory]
    [InlineData("5000000d")]
    [InlineData("50000000d")]
    [InlineData("Infinityd")]
    [InlineData("10675199.02:48:05")]
    public async Task An_absurd_lifetime_is_refused(string lifetime)
    {
        await Refused(HttpMethod.Post, "/api/tokens", NodeUnderTest.Json(new { role = "monitor", expires = lifetime }), "expires");
        await Refused(HttpMethod.Post, "/api/enrolments", NodeUnderTest.Json(new { team = "SAR-1", tokenExpires = lifetime }), "tokenExpires");
        await Refused(HttpMethod.Post, "/api/enrolments", NodeUnderTest.Json(new { team = "SAR-1", expires = lifetime }), "expires");
    }

    [Theory]
    [InlineData(0x202E)]
    [InlineData(0x2067)]
    [InlineData(0x200F)]
    [InlineData(0x061C)]
    [InlineData(0x200B)]
    [InlineData(0x200D)]
    [InlineData(0xFEFF)]
    [InlineData(0x00AD)] // soft hyphen: the rest of Default_Ignorable_Code_Point
    [InlineData(0x3164)] // Hangul filler, a letter that shows nothing
    [InlineData(0xFE0F)]
    [InlineData(0xE0041)] // a tag character, two chars in UTF-16
    [InlineData(0x2028)] // line separator
    [InlineData(0x000A)]
    public async Task A_name_with_an_invisible_control_or_line_breaking_code_point_is_refused(int codePoint)
    {
        var name = $"محمد{char.ConvertFromUtf32(codePoint)}الحلبي";
        var code = $"U+{codePoint:X4}";
        await Refused(HttpMethod.Post, "/api/facilities", NodeUnderTest.Json(new { id = "f2", name }), code);
        await Refused(HttpMethod.Post, "/api/facilities", NodeUnderTest.Json(new { id = "f2", name = "F", aliases = new[] { name } }), code);
        await Refused(HttpMethod.Put, "/api/facilities/saydnaya/layout", NodeUnderTest.Json(new
        {
            sectors = new object[] { new { id = "B1",
            kind = "Level" }, new { id = "B1-9", parent = "B1", kind = "Cell", name } }
        }), code);
        await Refused(HttpMethod.Post, "/api/teams",
            NodeUnderTest.Json(new { id = "T2", callSign = name, size = 2, capabilities = new[] { "Search" } }), code);
        await Refused(HttpMethod.Post, "/api/inquiries", NodeUnderTest.Json(new { id = "inq-1", name }), code);
        var (status, body) = await _node.Post("/api/reports", new
        {
            reportId = "r-p",
            teamId = "SAR-1",
            facilityId = "saydnaya",
            sectorId = "B1-1",
            kind = "PersonsFound",
            alive = 1,
            persons = new[] { new { name } }
        });
        Assert.True(status == 400, $"{status} {body}");
        Assert.Equal(400, (await _node.Post("/api/reports", new
        {
            reportId = "r-h",
            teamId = "SAR-1",
            facilityId = "saydnaya",
            sectorId = "B1-1",
            kind = "HiddenSpaceFound",
            newSectorId = "B1-1-H",
            name
        })).Status);
    }

    [Fact]
    public async Task Arabic_names_with_Arabic_Indic_digits_are_accepted()
    {
        Assert.Equal(201, (await _node.Post("/api/facilities",
            new { id = "f3", name = "سجن صيدنايا ١٢", aliases = new[] { "صيدنايا" } })).Status);
        Assert.Equal(201, (await _node.Post("/api/teams",
            new { id = "T3", callSign = "فريق ٣", size = 2, capabilities = new[] { "Search" } })).Status);
    }

    [Fact]
    public async Task A_name_typed_with_separate_marks_is_stored_composed()
    {
        // أحمد with the hamza as a separate mark after the alef, José with the accent as a mark.
        Assert.Equal(201, (await _node.Post("/api/facilities",
            new { id = "f4", name = "\u0627\u0654\u062D\u0645\u062F", aliases = new[] { "Jose\u0301" } })).Status);
        var (_, facility) = await _node.Get("/api/facilities/f4");
        Assert.Equal("\u0623\u062D\u0645\u062F", (string)facility!["name"]!);
        Assert.Equal("Jos\u00E9", (string)facility["aliases"]![0]!);
    }
}

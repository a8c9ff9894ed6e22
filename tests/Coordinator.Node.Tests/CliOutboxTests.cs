using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Coordinator.Cli;
using Coordinator.Node.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using QRCoder;

namespace Coordinator.Node.Tests;

/// <summary>
/// `coord`'s outbox against a real node: which answers end a queued report and which keep it, the order per sector
/// through the batch endpoint, two runs at once, the file's modes; and `coord token enrol`.
/// </summary>
public class CliOutboxTests : IAsyncDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private const string Lead = NodeUnderTest.BootstrapToken;

    private NodeUnderTest? _started;
    private NodeUnderTest Node => _started ?? throw new InvalidOperationException("start the node first");
    private readonly string _folder = Directory.CreateTempSubdirectory("coord-outbox-").FullName;
    private string OutboxFile => Path.Combine(_folder, "outbox.jsonl");

    public async ValueTask DisposeAsync()
    {
        if (_started is not null) await _started.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>
    /// A node with facility adra (cells G-1, G-2, G-3), K9-1 assigned to G-1 and SAR-1 to G-2: six requests with
    /// the lead's token.
    /// </summary>
    private async Task StartAsync(params string[] settings)
    {
        _started = await NodeUnderTest.StartAsync(settings);
        Assert.Equal(201, (await Node.Post("/api/facilities", new { id = "adra", name = "Adra" })).Status);
        Assert.Equal(200, (await Node.Put("/api/facilities/adra/layout", new
        {
            sectors = new object[]
            {
                new { id = "G", kind = "Level" }, new { id = "G-1", parent = "G", kind = "Cell" },
                new { id = "G-2", parent = "G", kind = "Cell" }, new { id = "G-3", parent = "G", kind = "Cell" },
            },
        })).Status);
        Assert.Equal(201, (await Node.Post("/api/teams",
            new { id = "K9-1", callSign = "Kilo", size = 4, capabilities = new[] { "K9", "Search" } })).Status);
        Assert.Equal(201, (await Node.Post("/api/teams",
            new { id = "SAR-1", callSign = "Sierra", size = 5, capabilities = new[] { "Search" } })).Status);
        Assert.Equal(201, (await Node.Post("/api/assignments", new { teamId = "K9-1", facilityId = "adra", sectorId = "G-1" })).Status);
        Assert.Equal(201, (await Node.Post("/api/assignments", new { teamId = "SAR-1", facilityId = "adra", sectorId = "G-2" })).Status);
    }

    private Task<(int Exit, string Out, string Err)> Coord(string token, params string[] args) =>
        CoordRunner.Run(Node.BaseAddress, OutboxFile, token, args);

    /// <summary>`coord` while the server cannot be reached.</summary>
    private Task<(int Exit, string Out, string Err)> Offline(string token, params string[] args) =>
        CoordRunner.Run(Unreachable, OutboxFile, token, args);

    /// <summary>A loopback port bound and never listened on: connections to it are refused, and no node of another test can take it.</summary>
    private static readonly Socket Refusing = BoundOnly();
    private static readonly Uri Unreachable = new($"http://127.0.0.1:{((IPEndPoint)Refusing.LocalEndPoint!).Port}");

    private static Socket BoundOnly()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    private static string[] Report(string kind, string team, string sector, string id, params string[] more) =>
        ["report", kind, "--team", team, "--facility", "adra", "--sector", sector, "--report-id", id, .. more];

    private string[] Waiting() => [.. new Outbox(OutboxFile, TimeSpan.Zero).Pending().Select(r => (string)r["reportId"]!)];

    private async Task<(string Token, string Id)> FieldToken(string team)
    {
        var issued = await Node.Post("/api/tokens", new { role = "field", team, expires = "1h" });
        Assert.Equal(201, issued.Status);
        return ((string)issued.Body!["token"]!, (string)issued.Body["id"]!);
    }

    private async Task<string[]> Events(string sector) =>
        [.. (await Node.All($"/api/facilities/adra/sectors/{sector}/history")).Select(e => (string)e!["event"]!)];

    [Fact]
    public async Task A_report_waiting_when_its_token_is_revoked_stays_and_a_new_token_delivers_it_once()
    {
        await StartAsync();
        var (revoked, revokedId) = await FieldToken("K9-1");
        var (fresh, _) = await FieldToken("K9-1");
        Assert.Equal(ExitCode.Queued, (await Offline(revoked, Report("entered", "K9-1", "G-1", "k-1"))).Exit);

        Assert.Equal(200, (await Node.Post($"/api/tokens/{revokedId}/revoke")).Status);
        using var unit = Node.Client(revoked);
        await Until(async () => (await unit.GetAsync("/api/teams/K9-1", Ct)).StatusCode == HttpStatusCode.Unauthorized,
            "the revocation reaches the node's board");

        var refused = await Coord(revoked, "outbox", "flush");
        Assert.Equal(ExitCode.Queued, refused.Exit);
        Assert.Contains("the token was refused: get a new one", refused.Err);
        Assert.Contains("SignInNeeded (401)", refused.Err); // the node names why, as every refusal does
        Assert.Equal(["k-1"], Waiting());

        var delivered = await Coord(fresh, "outbox", "flush");
        Assert.Equal((ExitCode.Ok, ""), (delivered.Exit, delivered.Err));
        Assert.Contains("k-1: Entered adra/G-1 accepted, sector InProgress", delivered.Out);
        Assert.Empty(Waiting());
        Assert.Equal(["SectorDefined", "TeamAssigned", "SectorEntered"], await Events("G-1"));
    }

    [Fact]
    public async Task A_report_refused_for_too_many_requests_stays_and_is_delivered_later_with_its_id()
    {
        const int perMinute = 12; // above the lead's six for the setup, two tokens and a history read
        await StartAsync($"--Coordinator:Auth:RequestsPerMinute={perMinute}");
        var (busy, _) = await FieldToken("K9-1");
        var (other, _) = await FieldToken("K9-1");
        Assert.Equal(0, (await Coord(busy, Report("entered", "K9-1", "G-1", "p-0"))).Exit);

        // One request a report: within a window the token runs out; should the window turn meanwhile, it runs out in the next.
        (int Exit, string Out, string Err) limited = default;
        var sent = 0;
        while (limited.Exit != ExitCode.Queued)
        {
            Assert.True(sent < 2 * perMinute + 2, "the rate limit never answered");
            limited = await Coord(busy, Report("persons", "K9-1", "G-1", $"p-{++sent}", "--alive", "1"));
            Assert.True(limited.Exit is ExitCode.Ok or ExitCode.Queued, limited.Err);
        }
        Assert.Contains("TooManyRequests (429)", limited.Err);
        Assert.Matches(@"run `coord outbox flush` in \d+ s", limited.Err);
        Assert.Equal([$"p-{sent}"], Waiting());

        var later = await Coord(other, "outbox", "flush");
        Assert.Equal(ExitCode.Ok, later.Exit);
        Assert.Contains($"p-{sent}: PersonsFound adra/G-1 accepted", later.Out);
        Assert.Empty(Waiting());
        var history = await Node.All("/api/facilities/adra/sectors/G-1/history");
        Assert.Equal(sent, history.Count(e => (string)e!["event"]! == "PersonsFound")); // each once, the last with its own id
        Assert.Contains($"\"p-{sent}\"", history.Last()!.ToJsonString());
    }

    [Fact]
    public async Task Reports_answered_503_stay_and_are_applied_in_order_once_the_node_answers()
    {
        await StartAsync();
        await using var unavailable = await Unavailable.StartAsync();
        foreach (var report in new[] { Report("entered", "K9-1", "G-1", "u-1"), Report("persons", "K9-1", "G-1", "u-2", "--alive", "1") })
        {
            var kept = await CoordRunner.Run(unavailable.Address, OutboxFile, Lead, report);
            Assert.Equal(ExitCode.Queued, kept.Exit);
            Assert.Contains("Unavailable (503)", kept.Err);
            Assert.Contains("`coord outbox flush` sends them with the same ids", kept.Err);
        }
        Assert.Equal(["u-1", "u-2"], Waiting());

        var flushed = await Coord(Lead, "outbox", "flush");
        Assert.Equal(ExitCode.Ok, flushed.Exit);
        Assert.Matches(@"u-1: Entered adra/G-1 accepted.*\n.*u-2: PersonsFound adra/G-1 accepted", flushed.Out);
        Assert.Empty(Waiting());
        Assert.Equal(["SectorDefined", "TeamAssigned", "SectorEntered", "PersonsFound"], await Events("G-1"));
    }

    /// <summary>
    /// A stand-in for a node that cannot reach its cluster: every request answered 503 with the node's problem.
    /// The real node answers 503 while its journal's database or an entity does not answer; on SQLite a test
    /// cannot bring that about without also breaking the node's other connections to the file.
    /// </summary>
    private sealed class Unavailable : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private Unavailable(WebApplication app) => _app = app;

        public Uri Address => new(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

        public static async Task<Unavailable> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            app.Run(http => Results.Problem(statusCode: 503, title: "Unavailable", detail: "the coordinator did not answer in time",
                extensions: new Dictionary<string, object?> { ["code"] = "Unavailable" }).ExecuteAsync(http));
            await app.StartAsync(Ct);
            return new Unavailable(app);
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }

    [Fact]
    public async Task Coord_runs_at_once_take_turns_and_lose_no_report()
    {
        await StartAsync();
        var landed = await Task.WhenAll(
            Task.Run(() => Coord(Lead, Report("entered", "K9-1", "G-1", "a-0")), Ct),
            Task.Run(() => Coord(Lead, Report("entered", "SAR-1", "G-2", "b-0")), Ct));
        Assert.All(landed, r => Assert.Equal(ExitCode.Ok, r.Exit));
        Assert.Empty(Waiting());

        // Both runs queue at once, again and again: every report is kept, each run's in its order.
        async Task Queue(string team, string sector, string prefix)
        {
            for (var i = 1; i <= 10; i++)
                Assert.Equal(ExitCode.Queued, (await Offline(Lead, Report("persons", team, sector, $"{prefix}-{i}", "--alive", "1"))).Exit);
        }
        await Task.WhenAll(Task.Run(() => Queue("K9-1", "G-1", "a"), Ct), Task.Run(() => Queue("SAR-1", "G-2", "b"), Ct));
        var waiting = Waiting();
        Assert.Equal(20, waiting.Length);
        Assert.Equal(Enumerable.Range(1, 10).Select(i => $"a-{i}"), waiting.Where(w => w.StartsWith('a')));
        Assert.Equal(Enumerable.Range(1, 10).Select(i => $"b-{i}"), waiting.Where(w => w.StartsWith('b')));

        // A run that cannot have the outbox in time (its --timeout and 5 s) says so and leaves it as it was.
        using (var held = (await new Outbox(OutboxFile, TimeSpan.Zero).HoldAsync(Ct)).Held!)
        {
            var blocked = await Offline(Lead, [.. Report("entered", "K9-1", "G-1", "z-1"), "--timeout", "1"]);
            Assert.Equal(ExitCode.Unavailable, blocked.Exit);
            Assert.Contains("another coord run holds the outbox", blocked.Err);
            Assert.Contains("report z-1 was not kept: make it again with --report-id z-1", blocked.Err);
        }
        Assert.Equal(waiting, Waiting());

        Assert.Equal(ExitCode.Ok, (await Coord(Lead, "outbox", "flush")).Exit);
        Assert.Empty(Waiting());
        foreach (var sector in new[] { "G-1", "G-2" })
            Assert.Equal(10, (int)(await Node.Get($"/api/facilities/adra/sectors/{sector}")).Body!["personsAlive"]!);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task The_outbox_is_the_owners_alone()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix file modes");
        var folder = Path.Combine(_folder, "unit");
        var outbox = Path.Combine(folder, "outbox.jsonl");
        var queued = await CoordRunner.Run(Unreachable, outbox, Lead, Report("entered", "K9-1", "G-1", "m-1"));
        Assert.Equal(ExitCode.Queued, queued.Exit);
        const UnixFileMode owner = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        Assert.Equal(owner | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));
        Assert.Equal(owner, File.GetUnixFileMode(outbox));
        Assert.Equal(owner, File.GetUnixFileMode(outbox + ".lock"));

        // An outbox left readable by others (an older coord, a copy) is tightened by the next run that holds it.
        File.SetUnixFileMode(outbox, owner | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        File.SetUnixFileMode(outbox + ".lock", owner | UnixFileMode.OtherRead);
        Assert.Equal(ExitCode.Queued, (await CoordRunner.Run(Unreachable, outbox, Lead, "outbox", "flush")).Exit);
        Assert.Equal(owner, File.GetUnixFileMode(outbox));
        Assert.Equal(owner, File.GetUnixFileMode(outbox + ".lock"));
        Assert.Equal(["m-1"], new Outbox(outbox, TimeSpan.Zero).Pending().Select(r => (string)r["reportId"]!));
    }

    [Fact]
    public async Task A_flush_keeps_each_sectors_order_and_drops_only_what_a_rule_refused()
    {
        await StartAsync();
        string[][] made =
        [
            Report("entered", "K9-1", "G-1", "o-1"),
            Report("entered", "SAR-1", "G-2", "o-2"),
            Report("cleared", "K9-1", "G-3", "o-3", "--method", "Visual"), // G-3 is not K9-1's: the rules refuse it
            Report("persons", "K9-1", "G-1", "o-4", "--alive", "2"),
            Report("cleared", "K9-1", "G-1", "o-5", "--method", "K9"),
            Report("cleared", "SAR-1", "G-2", "o-6", "--method", "Visual"),
        ];
        foreach (var report in made) Assert.Equal(ExitCode.Queued, (await Offline(Lead, report)).Exit);

        var flush = await Coord(Lead, "outbox", "flush");
        Assert.Equal(ExitCode.Refused, flush.Exit);
        Assert.Contains("o-3: Cleared adra/G-3 refused, removed from the outbox: SectorNotAssignedToTeam (409)", flush.Err);
        Assert.Equal(["o-1", "o-2", "o-4", "o-5", "o-6"],
            Regex.Matches(flush.Out, @"^(o-\d): .* accepted", RegexOptions.Multiline).Select(m => m.Groups[1].Value));
        Assert.Empty(Waiting());
        Assert.Equal(["SectorDefined", "TeamAssigned", "SectorEntered", "PersonsFound", "SectorCleared"], await Events("G-1"));
        Assert.Equal(["SectorDefined", "TeamAssigned", "SectorEntered", "SectorCleared"], await Events("G-2"));
        Assert.Empty(await Events("G-3"));
    }

    [Fact]
    public async Task A_long_outbox_goes_in_batches_of_at_most_500_so_a_rate_limit_does_not_hold_it_back()
    {
        const int perMinute = 12;
        await StartAsync($"--Coordinator:Auth:RequestsPerMinute={perMinute}");
        var issued = await Node.Post("/api/tokens", new { role = "lead", expires = "1h" }); // a window of its own
        Assert.Equal(201, issued.Status);
        JsonObject Made(string id, string team, string sector, string kind) =>
            new()
            {
                ["reportId"] = id,
                ["teamId"] = team,
                ["facilityId"] = "adra",
                ["sectorId"] = sector,
                ["kind"] = kind,
                ["alive"] = kind == "PersonsFound" ? 1 : null
            };
        // 502 reports as coord queues them, one a line: two batches, where one request a report would be refused after 12.
        JsonObject[] reports =
        [
            Made("l-0", "K9-1", "G-1", "Entered"), Made("l-1", "SAR-1", "G-2", "Entered"),
            .. Enumerable.Range(2, 500).Select(i => i % 2 == 0 ? Made($"l-{i}", "K9-1", "G-1", "PersonsFound")
                : Made($"l-{i}", "SAR-1", "G-2", "PersonsFound")),
        ];
        using (var outbox = (await new Outbox(OutboxFile, TimeSpan.Zero).HoldAsync(Ct)).Held!) outbox.Save(reports);

        // 250 reports on one sector are applied one after another: seconds on two cores.
        var flush = await Coord((string)issued.Body!["token"]!, "outbox", "flush", "--timeout", "60");
        Assert.True(flush.Exit == ExitCode.Ok, flush.Err);
        Assert.Equal(502, Regex.Matches(flush.Out, " accepted, ").Count);
        Assert.Empty(Waiting());
        foreach (var sector in new[] { "G-1", "G-2" })
            Assert.Equal(250, (int)(await Node.Get($"/api/facilities/adra/sectors/{sector}")).Body!["personsAlive"]!);
    }

    [Fact]
    public async Task A_report_kept_holds_back_the_later_reports_on_its_sector_only()
    {
        await StartAsync();
        var (k9, _) = await FieldToken("K9-1");
        // Made with the lead's token; flushed with K9-1's, which may not report for SAR-1 (403 NotYourTeam).
        foreach (var report in new[]
                 {
                     Report("entered", "SAR-1", "G-2", "h-1"),
                     Report("entered", "K9-1", "G-1", "h-2"),
                     Report("persons", "K9-1", "G-2", "h-3", "--alive", "1"), // refused (409) now, but made after h-1: it waits behind it
                     Report("persons", "K9-1", "G-1", "h-4", "--alive", "1"),
                 })
            Assert.Equal(ExitCode.Queued, (await Offline(Lead, report)).Exit);

        var first = await Coord(k9, "outbox", "flush");
        Assert.Equal(ExitCode.Queued, first.Exit);
        Assert.Contains("h-1: Entered adra/G-2 kept: NotYourTeam (403)", first.Err);
        Assert.Contains("h-3: PersonsFound adra/G-2 kept: it waits behind h-1 on the same sector", first.Err);
        Assert.Contains("the token was refused", first.Err);
        Assert.Contains("h-2: Entered adra/G-1 accepted", first.Out);
        Assert.Contains("h-4: PersonsFound adra/G-1 accepted", first.Out);
        Assert.Equal(["h-1", "h-3"], Waiting());

        var second = await Coord(Lead, "outbox", "flush");
        Assert.Equal(ExitCode.Refused, second.Exit);
        Assert.Contains("h-1: Entered adra/G-2 accepted", second.Out);
        Assert.Contains("h-3: PersonsFound adra/G-2 refused, removed from the outbox: SectorNotAssignedToTeam (409)", second.Err);
        Assert.Empty(Waiting());
    }

    [Fact]
    public async Task A_report_the_server_cannot_read_is_refused_alone_and_the_others_land()
    {
        await StartAsync();
        foreach (var report in new[]
                 {
                     Report("entered", "K9-1", "G-1", "x-1"),
                     Report("cleared", "K9-1", "G-1", "x-2", "--method", "Sniffing"), // no such method: the whole batch cannot be read
                     Report("persons", "K9-1", "G-1", "x-3", "--alive", "1"),
                 })
            Assert.Equal(ExitCode.Queued, (await Offline(Lead, report)).Exit);

        var flush = await Coord(Lead, "outbox", "flush");
        Assert.Equal(ExitCode.Invalid, flush.Exit);
        Assert.Contains("x-2: Cleared adra/G-1 refused, removed from the outbox: InvalidField (400)", flush.Err);
        Assert.Contains("x-1: Entered adra/G-1 accepted", flush.Out);
        Assert.Contains("x-3: PersonsFound adra/G-1 accepted", flush.Out);
        Assert.Empty(Waiting());
        Assert.Equal(["SectorDefined", "TeamAssigned", "SectorEntered", "PersonsFound"], await Events("G-1"));
    }

    [Fact]
    public async Task An_outbox_written_by_an_earlier_coord_still_delivers_every_report()
    {
        await StartAsync();
        // As coord wrote reports before it built them from the contract: the keys in the order it set them, the
        // options not given as null, the words as the user typed them.
        File.WriteAllLines(OutboxFile,
        [
            """{"reportId":"v-1","teamId":"K9-1","facilityId":"adra","sectorId":"G-1","kind":"Entered"}""",
            """{"reportId":"v-2","teamId":"K9-1","facilityId":"adra","sectorId":"G-1","kind":"PersonsFound","alive":1,"deceased":0"""
                + ""","needsMedical":true,"details":null"""
                + ""","persons":[{"name":"\u0639\u0645\u0631","birthYear":1987,"homeTown":"Douma","altNames":["Omar"]}]}""",
            """{"reportId":"v-3","teamId":"SAR-1","facilityId":"adra","sectorId":"G-2","kind":"Entered"}""",
            """{"reportId":"v-4","teamId":"K9-1","facilityId":"adra","sectorId":"G-1","kind":"Cleared","method":"k9"}""",
            """{"reportId":"v-5","teamId":"SAR-1","facilityId":"adra","sectorId":"G-2","kind":"ClearedWithDeceased","method":"Visual","deceased":"""
                + """1}""",
        ]);

        var flush = await Coord(Lead, "outbox", "flush");
        Assert.True(flush.Exit == ExitCode.Ok, flush.Err);
        Assert.Equal(["v-1", "v-2", "v-3", "v-4", "v-5"],
            Regex.Matches(flush.Out, @"^(v-\d): .* accepted", RegexOptions.Multiline).Select(m => m.Groups[1].Value));
        Assert.Empty(Waiting());
        Assert.Equal(["SectorDefined", "TeamAssigned", "SectorEntered", "PersonsFound", "SectorCleared"], await Events("G-1"));
        Assert.Equal(1, (int)(await Node.Get("/api/facilities/adra/sectors/G-1")).Body!["personsAlive"]!);
        Assert.Equal(1, (int)(await Node.Get("/api/facilities/adra/sectors/G-2")).Body!["personsDeceased"]!);
    }

    [Fact]
    public async Task A_lead_enrols_a_teams_phone_with_a_code_and_a_QR_code_of_its_link()
    {
        await StartAsync();
        var enrol = await Coord(Lead, "token", "enrol", "--team", "K9-1", "--token-expires", "8h");
        Assert.Equal(ExitCode.Ok, enrol.Exit);
        var code = Regex.Match(enrol.Out, @"│\s+((?:[2-9A-Z] ){5}- (?:[2-9A-Z] ){4}[2-9A-Z])\s+│").Groups[1].Value.Replace(" ", "");
        Assert.Matches("^[2-9A-Z]{5}-[2-9A-Z]{5}$", code);
        var url = Regex.Match(enrol.Out, @"^url\s+(\S+)$", RegexOptions.Multiline).Groups[1].Value;
        Assert.EndsWith($"/field/#enrol={code.Replace("-", "")}", url);
        Assert.Contains("a phone cannot reach", enrol.Err); // the link names 127.0.0.1

        // The QR block is the link's QR code: two rows of modules a line, light ones drawn.
        var qr = enrol.Out.Split('\n').Where(l => l.Length > 0 && l.All(ch => ch is '█' or '▀' or '▄' or ' ')).ToArray();
        var modules = QRCodeGenerator.GenerateQrCode(url, QRCodeGenerator.ECCLevel.M).ModuleMatrix;
        Assert.Equal((modules.Count + 1) / 2, qr.Length);
        for (var y = 0; y < modules.Count; y++)
            for (var x = 0; x < modules.Count; x++)
            {
                var ch = qr[y / 2][x];
                var light = y % 2 == 0 ? ch is '█' or '▀' : ch is '█' or '▄';
                Assert.True(light != modules[y][x], $"module ({x},{y})");
            }

        using var phone = Node.Client(null);
        using var redeemed = await phone.PostAsync("/api/enrolments/redeem",
            new StringContent(NodeUnderTest.Json(new { code, phone = "phone-1" }), System.Text.Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.OK, redeemed.StatusCode);
        var token = JsonNode.Parse(await redeemed.Content.ReadAsStringAsync(Ct))!;
        Assert.Equal("K9-1", (string)token["team"]!);
        Assert.Equal(0, (await Coord((string)token["token"]!, Report("entered", "K9-1", "G-1", "e-1"))).Exit);

        var json = JsonNode.Parse((await Coord(Lead, "token", "enrol", "--team", "SAR-1", "--json")).Out)!;
        Assert.Equal("SAR-1", (string)json["team"]!);
        Assert.Matches("^[2-9A-Z]{5}-[2-9A-Z]{5}$", (string)json["code"]!);
        var unknown = await Coord(Lead, "token", "enrol", "--team", "NOPE-1");
        Assert.Equal((ExitCode.NotFound, true), (unknown.Exit, unknown.Err.Contains("TeamNotFound")));
        var field = await FieldToken("K9-1");
        Assert.Equal(ExitCode.Forbidden, (await Coord(field.Token, "token", "enrol", "--team", "K9-1")).Exit); // leads only
    }

    private static async Task Until(Func<Task<bool>> done, string what)
    {
        for (var until = DateTime.UtcNow.AddSeconds(20); !await done();)
        {
            Assert.True(DateTime.UtcNow < until, $"not within 20 s: {what}");
            await Task.Delay(100, Ct);
        }
    }
}

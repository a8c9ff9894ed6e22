using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Coordinator.Node.Tests.Support;

/// <summary>
/// The real node — Kestrel on a loopback port, the actor system, a SQLite file in a temp folder — built by the
/// same code as `dotnet run`. Stopping and starting it again on the same folder is a node restart.
/// </summary>
public sealed class NodeUnderTest : IAsyncDisposable
{
    private WebApplication? _app;

    public const string SigningKey = "test-signing-key-0123456789-abcdefghijklmnop";
    public const string BootstrapToken = "test-bootstrap-token-0123456789-abcdefghijkl";

    public string DataFolder { get; } = Directory.CreateTempSubdirectory("coord-node-").FullName;
    public int Port { get; private set; }
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");
    public HttpClient Http { get; private set; } = new();

    private string[] _extra = [];

    public static async Task<NodeUnderTest> StartAsync(params string[] settings)
    {
        var node = Unstarted(settings);
        await node.StartAgainAsync();
        return node;
    }

    /// <summary>A node whose data folder is there to be filled (a restored backup) before its first start.</summary>
    public static NodeUnderTest Unstarted(params string[] settings) => new() { _extra = settings };

    /// <summary>The running node's services: its actor system, its published board.</summary>
    public IServiceProvider Services => _app?.Services ?? throw new InvalidOperationException("the node is not running");

    /// <summary>
    /// Starts on the same data folder and, after the first start, the same port (so clients need not know); returns once
    /// ready and, when <paramref name="settled"/>, every projection current.
    /// </summary>
    public async Task StartAgainAsync(bool settled = true)
    {
        _app = NodeApp.Build([
            "--urls", $"http://127.0.0.1:{Port}",
            $"--Coordinator:Persistence:ConnectionString=Data Source={Path.Combine(DataFolder, "coordinator.db")}",
            "--Logging:LogLevel:Default=Warning",
            "--Coordinator:Api:AskTimeout=00:00:10", // the default: a test node shares two cores with many others
            "--Coordinator:Stream:KeepAlive=00:00:01",
            $"--Coordinator:Auth:SigningKey={SigningKey}",
            $"--Coordinator:Auth:BootstrapToken={BootstrapToken}",
            $"--Coordinator:Auth:DataFolder={DataFolder}",
            "--Coordinator:Auth:RequestsPerMinute=0",
            .. _extra,
        ]);
        await _app.StartAsync();
        Port = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
        Http = Client(BootstrapToken);
        await WaitReadyAsync(settled);
    }

    /// <summary>A client of the node with this bearer token (none: anonymous).</summary>
    public HttpClient Client(string? token)
    {
        var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (token is not null) http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return http;
    }

    public async Task StopAsync()
    {
        if (_app is null) return;
        await _app.StopAsync();
        await _app.DisposeAsync();
        _app = null;
    }

    /// <summary>
    /// Ready, and when settled every projection current: a test then reads a settled node. (A node serves reports once its
    /// access projection is current; ProjectionStartTests checks the routes of the others before they are.)
    /// </summary>
    private async Task WaitReadyAsync(bool settled)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (await Http.GetAsync("/healthz/ready") is var ready && (ready.StatusCode != System.Net.HttpStatusCode.OK
            || (settled && JsonNode.Parse(await ready.Content.ReadAsStringAsync())!["projections"]!.AsObject()
                .Any(p => (string)p.Value! != "current"))))
        {
            if (DateTime.UtcNow > until) throw new TimeoutException("node not ready in 30 s");
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Http.Dispose();
    }

    // Small helpers so tests read as requests and answers.

    public async Task<(int Status, JsonNode? Body)> Send(HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is string raw) request.Content = new StringContent(raw, System.Text.Encoding.UTF8, "application/json");
        else if (body is not null) request.Content = JsonContent.Create(body);
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    public Task<(int Status, JsonNode? Body)> Post(string path, object? body = null) => Send(HttpMethod.Post, path, body ?? "{}");
    public Task<(int Status, JsonNode? Body)> Put(string path, object body) => Send(HttpMethod.Put, path, body);
    public Task<(int Status, JsonNode? Body)> Get(string path) => Send(HttpMethod.Get, path);

    /// <summary>
    /// Where the family tests' persons are found: Saydnaya, level B1 with these cells (B1-1 when none are named),
    /// and team SAR-1 assigned to B1-1 and inside it.
    /// </summary>
    public async Task EnterCellAsync(params string[] cells)
    {
        Assert.Equal(201, (await Post("/api/facilities", new { id = "saydnaya", name = "Saydnaya" })).Status);
        var sectors = new object[] { new { id = "B1", kind = "Level" } }
            .Concat((cells.Length == 0 ? ["B1-1"] : cells).Select(cell => new { id = cell, parent = "B1", kind = "Cell" }));
        Assert.Equal(200, (await Put("/api/facilities/saydnaya/layout", new { sectors })).Status);
        Assert.Equal(201, (await Post("/api/teams", new { id = "SAR-1", callSign = "S", size = 5, capabilities = new[] { "Search" } })).Status);
        Assert.Equal(201, (await Post("/api/assignments", new { teamId = "SAR-1", facilityId = "saydnaya", sectorId = "B1-1" })).Status);
        Assert.Equal(200, (await Post("/api/reports",
            new { reportId = "r-in", teamId = "SAR-1", facilityId = "saydnaya", sectorId = "B1-1", kind = "Entered" })).Status);
    }

    /// <summary>SAR-1 reports one person found alive in B1-1 (after <see cref="EnterCellAsync"/>); the person's id.</summary>
    public async Task<string> FindPersonAsync(object person)
    {
        var (status, found) = await Post("/api/reports", new
        {
            reportId = "r-persons",
            teamId = "SAR-1",
            facilityId = "saydnaya",
            sectorId = "B1-1",
            kind = "PersonsFound",
            alive = 1,
            persons = new[] { person },
        });
        Assert.Equal(200, status);
        return (string)found!["persons"]![0]!;
    }

    /// <summary>Every item of a list, page after page (following each page's <c>next</c>), as one array, as a walk of it shows them.</summary>
    public Task<JsonArray> All(string path, int limit = 1000) => All(Http, path, limit);

    /// <summary>As above, as <paramref name="http"/>'s token reads it.</summary>
    public static async Task<JsonArray> All(HttpClient http, string path, int limit = 1000)
    {
        var items = new JsonArray();
        string? next = null;
        do
        {
            var page = JsonNode.Parse(await http.GetStringAsync(
                $"{path}{(path.Contains('?') ? '&' : '?')}limit={limit}{(next is null ? "" : $"&cursor={Uri.EscapeDataString(next)}")}"))!;
            foreach (var item in page["items"]!.AsArray()) items.Add(item!.DeepClone());
            next = (string?)page["next"];
        } while (next is not null);
        return items;
    }

    /// <summary>A GET's body as text: compared before and after a refused request, it shows nothing changed.</summary>
    public async Task<string> Read(string path) => (await Get(path)).Body?.ToJsonString() ?? "";

    public static string Json(object o) => JsonSerializer.Serialize(o);
}

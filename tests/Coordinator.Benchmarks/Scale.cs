using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Akka.Persistence.Query;
using Coordinator.Cluster;
using Coordinator.Domain.Views;
using Coordinator.Node;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Coordinator.Benchmarks;

/// <summary>
/// An operation of many facilities and sectors on one node: the time to import the layouts, the node's memory
/// with every sector entity started, the time from a cold restart to every view answering, and the time to
/// rebuild the views from the journal.
/// </summary>
public static class Scale
{
    private static readonly string Token = $"bench-{Guid.NewGuid():N}";

    /// <param name="Touched">How many sector entities to start (all of them by default).</param>
    public sealed record Options(int Facilities, int SectorsPerFacility, int Teams, int? Touched = null);

    public static async Task<int> RunAsync(Options o)
    {
        var folder = Directory.CreateTempSubdirectory("coord-scale-").FullName;
        var sectors = o.Facilities * o.SectorsPerFacility;
        try
        {
            var (app, http) = await StartAsync(folder, port: 0);
            var port = http.BaseAddress!.Port;
            Console.WriteLine($"importing {o.Facilities} facilities × {o.SectorsPerFacility} sectors and {o.Teams} teams…");
            var import = Stopwatch.StartNew();
            await ImportLayoutsAsync(http, o.Facilities, o.SectorsPerFacility);
            var layouts = import.Elapsed;
            await Parallel.ForEachAsync(Enumerable.Range(0, o.Teams), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (t, ct) =>
                (await http.PostAsJsonAsync("/api/teams", new { id = $"T{t}", callSign = $"T{t}", size = 4, capabilities = new[] { "Search" } }, ct))
                    .EnsureSuccessStatusCode());
            var withTeams = import.Elapsed;

            var touchedCount = Math.Min(sectors, o.Touched ?? sectors);
            Console.WriteLine($"starting {touchedCount} sector entities (a read of each)…");
            var touch = Stopwatch.StartNew();
            await Parallel.ForEachAsync(Ids(o).Take(touchedCount), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (id, ct) =>
                (await http.GetAsync($"/api/facilities/{id.Facility}/sectors/{id.Sector}", ct)).EnsureSuccessStatusCode());
            var touched = touch.Elapsed;
            GC.Collect();
            var process = Process.GetCurrentProcess();
            process.Refresh();
            var (workingSet, heap) = (process.WorkingSet64, GC.GetTotalMemory(forceFullCollection: true));
            await UntilViewsAnswerAsync(http, o);

            Console.WriteLine("cold restart on the same journal…");
            await app.StopAsync();
            await app.DisposeAsync();
            var restart = Stopwatch.StartNew();
            (app, http) = await StartAsync(folder, port);
            var ready = restart.Elapsed;
            await UntilViewsAnswerAsync(http, o);
            var viewsBack = restart.Elapsed;

            var journal = new JournalReader(app.Services.GetRequiredService<Akka.Actor.ActorSystem>());
            var rebuild = Stopwatch.StartNew();
            var events = await journal.AllEvents();
            var read = rebuild.Elapsed;
            var board = OperationsProjection.Instance.Replay(events.Select(e => (e.Event, ((Sequence)e.Offset).Value)));
            var rebuilt = rebuild.Elapsed;

            Console.WriteLine();
            Console.WriteLine("| figure | value |");
            Console.WriteLine("| --- | --- |");
            Console.WriteLine($"| layouts imported ({sectors:N0} sectors in {o.Facilities} facilities) | {layouts.TotalSeconds:0.0} s |");
            Console.WriteLine($"| … and {o.Teams:N0} teams registered | {withTeams.TotalSeconds:0.0} s |");
            Console.WriteLine($"| {touchedCount:N0} sector entities started (one read each, 32 in flight) | {touched.TotalSeconds:0.0} s " +
                $"({touchedCount / touched.TotalSeconds:0}/s) |");
            Console.WriteLine($"| process working set / managed heap with them running | {workingSet / 1048576:N0} MiB / {heap / 1048576:N0} MiB |");
            Console.WriteLine($"| cold restart: node ready / every facility's view answering in full | {ready.TotalSeconds:0.0} s / " +
                $"{viewsBack.TotalSeconds:0.0} s |");
            Console.WriteLine($"| views rebuilt from the journal ({events.Count:N0} events): read / folded | {read.TotalSeconds:0.0} s / " +
                $"{(rebuilt - read).TotalSeconds:0.0} s |");
            Console.WriteLine($"| sectors in the rebuilt board | {board.Sectors.Count:N0} |");
            await app.StopAsync();
            return board.Sectors.Count == sectors ? 0 : 1;
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Facilities F0… created and their layouts imported, one request each.</summary>
    internal static async Task ImportLayoutsAsync(HttpClient http, int facilities, int sectorsPerFacility)
    {
        for (var f = 0; f < facilities; f++)
        {
            (await http.PostAsJsonAsync("/api/facilities", new { id = $"F{f}", name = $"Facility {f} (simulated)" })).EnsureSuccessStatusCode();
            (await http.PutAsJsonAsync($"/api/facilities/F{f}/layout", new { sectors = Layout(sectorsPerFacility) })).EnsureSuccessStatusCode();
        }
    }

    /// <summary>A sector as the layout request carries it.</summary>
    private sealed record Planned(string Id, string? Parent, string Kind);

    /// <summary>Levels of ten blocks of 48 cells each, as a facility's plan is drawn.</summary>
    private static List<Planned> Layout(int count)
    {
        var sectors = new List<Planned>();
        for (var level = 0; sectors.Count < count; level++)
        {
            sectors.Add(new Planned($"L{level}", null, "Level"));
            for (var block = 0; block < 10 && sectors.Count < count; block++)
            {
                sectors.Add(new Planned($"L{level}-B{block}", $"L{level}", "Block"));
                for (var cell = 0; cell < 48 && sectors.Count < count; cell++)
                    sectors.Add(new Planned($"L{level}-B{block}-C{cell}", $"L{level}-B{block}", "Cell"));
            }
        }
        return sectors;
    }

    private static IEnumerable<(string Facility, string Sector)> Ids(Options o) =>
        Enumerable.Range(0, o.Facilities).SelectMany(f => Layout(o.SectorsPerFacility).Select(s => ($"F{f}", s.Id)));

    private static async Task UntilViewsAnswerAsync(HttpClient http, Options o)
    {
        var deadline = DateTime.UtcNow.AddMinutes(5);
        for (var f = 0; f < o.Facilities; f++)
            while (true)
            {
                var response = await http.GetAsync($"/api/facilities/F{f}/sectors");
                if (response.IsSuccessStatusCode && (await response.Content.ReadFromJsonAsync<JsonArray>())!.Count == o.SectorsPerFacility) break;
                if (DateTime.UtcNow > deadline) throw new TimeoutException($"facility F{f}'s view never answered in full");
                await Task.Delay(100);
            }
    }

    /// <summary>
    /// A node on a SQLite file in <paramref name="folder"/>, ready unless <paramref name="untilReady"/> is false (then as soon as it
    /// listens), and a client with the bootstrap token (lead rights). Idle entities are kept 30 minutes, so that every one
    /// started stays in memory while it is measured, unless <paramref name="nodeDefaults"/> asks for the node's own passivation.
    /// </summary>
    internal static async Task<(WebApplication App, HttpClient Http)> StartAsync(string folder, int port, bool untilReady = true,
        bool nodeDefaults = false)
    {
        var app = NodeApp.Build(Arguments(folder, port, nodeDefaults));
        await app.StartAsync();
        var http = Client(new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port);
        if (untilReady) await Load.UntilReadyAsync(http, TimeSpan.FromMinutes(2));
        return (app, http);
    }

    /// <summary>The node's settings for a benchmark: its SQLite file and key folder in <paramref name="folder"/>, the bootstrap token.</summary>
    internal static string[] Arguments(string folder, int port, bool nodeDefaults) =>
    [
        "--urls", $"http://127.0.0.1:{port}", $"--Coordinator:Persistence:ConnectionString=Data Source={Path.Combine(folder, "coordinator.db")}",
        "--Logging:LogLevel:Default=Warning", "--Coordinator:Api:AskTimeout=00:00:30",
        $"--Coordinator:Auth:BootstrapToken={Token}", $"--Coordinator:Auth:DataFolder={folder}", "--Coordinator:Auth:RequestsPerMinute=0",
        .. nodeDefaults ? Array.Empty<string>() : ["--Coordinator:Entities:PassivateIdleAfter=00:30:00"],
    ];

    /// <summary>A client of the node at <paramref name="port"/> with the bootstrap token (lead rights).</summary>
    internal static HttpClient Client(int port)
    {
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromMinutes(2) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", Token);
        return http;
    }
}

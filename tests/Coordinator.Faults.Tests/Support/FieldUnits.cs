using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Coordinator.Faults.Tests.Support;

/// <summary>
/// An operation of one facility with a cell and a team per cell, and field units that keep reporting persons
/// found through whichever nodes are up. A report that gets no 2xx is sent again, with the same id, through
/// another node, as `coord`'s outbox does, until it is acknowledged.
/// </summary>
public sealed class FieldUnits(ClusterUnderTest cluster, int cells)
{
    public const string Facility = "fault";

    public sealed record Delivery(string ReportId, string Sector, int Attempts, IReadOnlyList<int> Statuses);

    public ConcurrentBag<Delivery> Acknowledged { get; } = [];
    public ConcurrentBag<string> Abandoned { get; } = [];
    public ConcurrentBag<(DateTime At, int Status)> Answers { get; } = [];

    private DateTime _stopSending = DateTime.MaxValue;

    /// <summary>Ends the sending early; what is under way is still delivered.</summary>
    public void StopSending() => _stopSending = DateTime.UtcNow;

    public IEnumerable<string> Cells => Enumerable.Range(1, cells).Select(i => $"C-{i:000}");

    /// <summary>The lead's setup, through the first node; a 503 (a cluster still settling) is retried with the same ids, as the API asks.</summary>
    public async Task SetUpAsync()
    {
        using var http = cluster.Nodes[0].Client(TimeSpan.FromSeconds(30));
        async Task Ok(Func<Task<HttpResponseMessage>> send, string what)
        {
            for (var attempt = 1; ; attempt++)
            {
                using var r = await send();
                if (r.IsSuccessStatusCode) return;
                if (r.StatusCode != HttpStatusCode.ServiceUnavailable || attempt == 6)
                    throw new InvalidOperationException($"{what}: {(int)r.StatusCode} {await r.Content.ReadAsStringAsync()}");
                await Task.Delay(500);
            }
        }
        await Ok(() => http.PostAsJsonAsync("/api/facilities", new { id = Facility, name = "Fault drill" }), "facility");
        await Ok(() => http.PutAsJsonAsync($"/api/facilities/{Facility}/layout", new
        {
            sectors = new object[] { new { id = "L1", kind = "Level" } }.Concat(Cells.Select(c =>
                new { id = c, parent = "L1", kind = "Cell" })).ToArray(),
        }), "layout");
        foreach (var cell in Cells)
        {
            var team = $"T-{cell}";
            await Ok(() => http.PostAsJsonAsync("/api/teams", new { id = team, callSign = team, size = 4, capabilities = new[] { "Search" } }), team);
            await Ok(() => http.PostAsJsonAsync("/api/assignments", new { teamId = team, facilityId = Facility, sectorId = cell }), $"assign {team}");
            await Ok(() =>
                http.PostAsJsonAsync("/api/reports",
                    new { reportId = $"in-{cell}", teamId = team, facilityId = Facility, sectorId = cell, kind = "Entered" }), $"enter {cell}");
        }
    }

    /// <summary>
    /// Units report until <paramref name="duration"/> is over, then finish delivering what they started (up to <paramref name="patience"/>).
    /// </summary>
    public async Task RunAsync(int units, TimeSpan duration, TimeSpan patience, CancellationToken ct)
    {
        _stopSending = DateTime.UtcNow + duration;
        var cellList = Cells.ToArray();
        await Task.WhenAll(Enumerable.Range(0, units).Select(async unit =>
        {
            var random = new Random(unit);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(8) };
            http.DefaultRequestHeaders.Authorization = new("Bearer", NodeProcess.BootstrapToken);
            for (var n = 0; DateTime.UtcNow < _stopSending && !ct.IsCancellationRequested; n++)
            {
                var cell = cellList[(unit + n * units) % cellList.Length];
                var report = new
                {
                    reportId = $"u{unit}-{n}",
                    teamId = $"T-{cell}",
                    facilityId = Facility,
                    sectorId = cell,
                    kind = "PersonsFound",
                    alive = 1
                };
                var statuses = new List<int>();
                NodeProcess? last = null;
                while (true)
                {
                    // A resend goes through another node than the one that failed, when there is one.
                    var up = cluster.Nodes.Where(x => x.Running && x != last).DefaultIfEmpty(last).Where(x => x is not null)
                        .Cast<NodeProcess>().ToList();
                    var node = last = up[random.Next(up.Count)];
                    var status = 0;
                    try
                    {
                        using var response = await http.PostAsJsonAsync(new Uri(node.BaseAddress, "/api/reports"), report, ct);
                        status = (int)response.StatusCode;
                    }
                    catch (HttpRequestException) { }
                    catch (TaskCanceledException) when (!ct.IsCancellationRequested) { }
                    statuses.Add(status);
                    Answers.Add((DateTime.UtcNow, status));
                    if (status is >= 200 and < 300)
                    {
                        Acknowledged.Add(new Delivery(report.reportId, cell, statuses.Count, statuses));
                        break;
                    }
                    if (status is >= 400 and < 500 || DateTime.UtcNow > _stopSending + patience)
                    {
                        Abandoned.Add($"{report.reportId} on {cell}: {string.Join(",", statuses)}");
                        break;
                    }
                    await Task.Delay(100 + random.Next(200), ct);
                }
            }
        }));
    }

    /// <summary>
    /// Every cell answering through this node: the time from now until the last cell has answered. Each cell is
    /// asked on its own, again as soon as an ask fails, so a cell is timed when it answers, not when a round ends;
    /// <paramref name="progress"/> hears when each cell first answered.
    /// </summary>
    public async Task<TimeSpan> UntilAllAnswerAsync(NodeProcess node, TimeSpan patience, Action<string>? progress = null)
    {
        using var http = node.Client(TimeSpan.FromSeconds(2));
        var start = DateTime.UtcNow;
        var answered = await Task.WhenAll(Cells.Select(async cell =>
        {
            while (DateTime.UtcNow - start < patience)
            {
                try
                {
                    if ((await http.GetAsync($"/api/facilities/{Facility}/sectors/{cell}")).StatusCode == HttpStatusCode.OK)
                        return (Cell: cell, After: DateTime.UtcNow - start);
                }
                catch (TaskCanceledException) { }
                catch (HttpRequestException) { }
                await Task.Delay(100);
            }
            throw new TimeoutException($"{cell} did not answer through {node.Name} within {patience}");
        }));
        progress?.Invoke(string.Join(", ", answered.OrderBy(a => a.After).Select(a => $"{a.Cell} {a.After.TotalSeconds:0.0} s")));
        return answered.Max(a => a.After);
    }
}

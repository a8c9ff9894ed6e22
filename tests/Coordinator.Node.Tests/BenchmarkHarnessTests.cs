using Coordinator.Benchmarks;

namespace Coordinator.Node.Tests;

/// <summary>
/// The benchmarks' quick modes, run by CI to prove the harnesses work end to end. They do not judge the
/// figures; the live one does require that every report was acknowledged and every acknowledged change
/// reached the stream.
/// </summary>
public class BenchmarkHarnessTests
{
    [Fact]
    public async Task The_live_benchmark_runs_in_quick_mode_and_loses_nothing()
    {
        var (exit, text) = await Captured(() =>
            LiveLatency.RunAsync(new Load.Options(Rate: 100, Duration: TimeSpan.FromSeconds(2), Sectors: 20, Concurrency: 16), []));
        Assert.True(exit == 0, text);
        // Both services took every report with its team's own field token.
        Assert.Contains("| reports sent / acknowledged / failed | 200 / 200 / 0 | 200 / 200 / 0 |", text);
        Assert.Contains("| acknowledged per second", text);
        Assert.Contains("| storage ceiling", text);
        Assert.Contains("| Coordinator ÷ CRUD throughput", text);
        Assert.Contains("| process CPU while offered", text);
        Assert.Matches(@"\| facility's own record counted every person, after the last acknowledgement \| [0-9.]+ s \|", text);
        Assert.Matches(@"\| journal rows per acknowledged report, by entity \(warm-up included\) \| facility [0-9.]+, sector 1\.00", text);
    }

    [Fact]
    public async Task The_outbox_benchmark_runs_in_quick_mode_and_applies_every_queued_report_once_in_order()
    {
        var (exit, text) = await Captured(() =>
            FieldOutbox.RunAsync(new FieldOutbox.Options(Reports: 20, LatencyMs: 50, KilobitsPerSecond: 1600, BaselineReports: 3)));
        Assert.True(exit == 0, text);
        Assert.Matches(@"\| queued reports delivered by the field app's outbox \(batch\) \| 20 in [0-9.]+ s \|", text);
        Assert.Contains("| applied once each, in order (sector history) | yes |", text);
    }

    [Fact]
    public async Task The_family_benchmark_runs_small_and_the_indexed_search_keeps_the_full_scans_recall()
    {
        var (exit, text) = await Captured(() =>
            FamilyMatching.RunAsync(new FamilyMatching.Options(Inquiries: 300, Persons: 100, Queries: 10, Alerts: 2)));
        Assert.True(exit == 0, text);
        Assert.Matches(@"\| test set: true pairs listed, full scan / indexed \| (\d+)/(\d+) / \1/\2 \|", text);
        Assert.Matches(@"\| test set: true pairs strong in the full scan / alerted by the view's fold \| (\d+) / \1 \|", text);
        Assert.Matches(@"\| inquiries imported \(CSV files of 5,000 rows\) \| 300 accepted in [0-9.]+ s: [0-9]+ rows/s \|", text);
        Assert.Contains("| the same files imported again | 300 duplicates", text);
        Assert.Matches(
            @"\| persons-found report sent → its strong candidate on /api/family/stream, ms p50 / p95 / p99 / max \(2 reports\) \| [0-9.]+ / ",
            text);
    }

    [Fact]
    public async Task The_desk_benchmark_runs_small_and_measures_every_figure()
    {
        var (exit, text) = await Captured(() =>
            DeskAtScale.RunAsync(new DeskAtScale.Options(Sectors: 500, Inquiries: 300, Persons: 100, Queries: 10, ReportsPerSecond: 10)));
        Assert.True(exit == 0, text);
        Assert.Matches(@"\| inquiries imported \(CSV files of 5,000 rows, Latin spellings\) \| 300 in [0-9.]+ s: [0-9]+ rows/s \|", text);
        Assert.Matches(@"\| GET the work queue, quiet / while reports arrive, ms p50 / max \| [0-9.]+ / [0-9]+ / [0-9.]+ / [0-9]+ \|", text);
        Assert.Matches(
            @"\| cold restart: a sector's report accepted / a persons-found report in the cell holding all 100 persons \| [0-9.]+ s / [0-9.]+ s \|",
            text);
        Assert.Matches(@"\| cold restart: a lead's command accepted \| [0-9.]+ s \|", text);
        Assert.Matches(@"\| cold restart: the family desk answers \(an inquiry's candidates\) \| [0-9.]+ s \|", text);
        Assert.Matches(@"\| the restarted node's resident memory, once it answered \| [0-9,]+ MiB \|", text);
    }

    [Fact]
    public async Task The_micro_benchmarks_run_in_quick_mode()
    {
        var (exit, text) = await Captured(() => Task.Run(() => Micro.Run(quick: true, [])));
        Assert.True(exit == 0, text);
        foreach (var benchmark in new[] { "new report: decide + evolve", "persons found into a 400-cell board",
            "read every golden event", "score an inquiry against a person" })
            Assert.Contains($"'{benchmark}'", text);
        Assert.Contains("executed benchmarks: 7", text);
    }

    /// <summary>Runs a benchmark with its console output kept for the assertion and the test's log.</summary>
    private static async Task<(int Exit, string Text)> Captured(Func<Task<int>> run)
    {
        var output = new StringWriter();
        var console = Console.Out;
        Console.SetOut(output);
        try
        {
            var exit = await run();
            TestContext.Current.SendDiagnosticMessage(output.ToString());
            return (exit, output.ToString());
        }
        finally
        {
            Console.SetOut(console);
        }
    }
}

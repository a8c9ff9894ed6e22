using Coordinator.Benchmarks;

namespace Coordinator.Node.Tests;

/// <summary>
/// The benchmark's quick mode, run by CI to prove the harness works end to end (storage ceiling, the CRUD
/// baseline, a real node under load, the stream). It does not judge the figures; it does require that every
/// report was acknowledged and every acknowledged change reached the stream.
/// </summary>
public class BenchmarkHarnessTests
{
    [Fact]
    public async Task The_live_benchmark_runs_in_quick_mode_and_loses_nothing()
    {
        var output = new StringWriter();
        var console = Console.Out;
        Console.SetOut(output);
        int exit;
        try
        {
            exit = await LiveLatency.RunAsync(new Load.Options(Rate: 100, Duration: TimeSpan.FromSeconds(2), Sectors: 20, Concurrency: 16), []);
        }
        finally
        {
            Console.SetOut(console);
        }
        var text = output.ToString();
        TestContext.Current.SendDiagnosticMessage(text);
        Assert.True(exit == 0, text);
        Assert.Contains("| acknowledged per second", text);
        Assert.Contains("| storage ceiling", text);
        Assert.Contains("| Coordinator ÷ CRUD throughput", text);
    }
}

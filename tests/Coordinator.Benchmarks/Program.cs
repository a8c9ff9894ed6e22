using Coordinator.Benchmarks;

// dotnet run -c Release --project tests/Coordinator.Benchmarks -- live [rate] [seconds] [sectors] [concurrency]
//   live --quick : a short run that proves the harness works (what CI runs; it does not judge the figures)
var rest = args.SkipWhile(a => a != "live").Skip(1).ToArray();
if (args.Length == 0 || args[0] != "live")
{
    Console.Error.WriteLine("usage: live [--quick] [rate=1000] [seconds=20] [sectors=400] [concurrency=256]");
    return 2;
}
var quick = rest.Contains("--quick");
var numbers = rest.Where(a => a != "--quick").Select(int.Parse).ToArray();
int Arg(int i, int normal, int fast) => numbers.Length > i ? numbers[i] : quick ? fast : normal;
return await LiveLatency.RunAsync(new LiveLatency.Options(
    Rate: Arg(0, 1000, 200), Duration: TimeSpan.FromSeconds(Arg(1, 20, 3)), Sectors: Arg(2, 400, 50), Concurrency: Arg(3, 256, 32)));

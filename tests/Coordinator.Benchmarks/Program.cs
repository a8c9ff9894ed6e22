using Coordinator.Benchmarks;

// dotnet run -c Release --project tests/Coordinator.Benchmarks -- live [rate] [seconds] [sectors] [concurrency]
//   live --quick : a short run that proves the harness works (what CI runs; it does not judge the figures)
// dotnet run -c Release --project tests/Coordinator.Benchmarks -- scale [facilities] [sectors per facility] [teams] [sectors to start]
//   scale --quick : 2 facilities × 500 sectors, 20 teams
// dotnet run -c Release --project tests/Coordinator.Benchmarks -- family [inquiries] [persons] [queries] [alerts]
//   family --quick : 2,000 inquiries, 400 persons, 50 candidate queries, 5 alerts timed
// dotnet run -c Release --project tests/Coordinator.Benchmarks -- desk [sectors] [inquiries] [persons] [queries] [reports/s]
//   desk --quick : 2,000 sectors, 5,000 inquiries, 1,000 persons, 100 candidate queries (under a minute)
// COORD_TOKEN=… dotnet run -c Release --project tests/Coordinator.Benchmarks -- remote URL[,URL…] [rate] [seconds] [sectors] [concurrency]
//   the live load against running nodes (tests/Coordinator.Benchmarks/postgres-nodes.sh: one node, then three, on PostgreSQL)
// dotnet run -c Release --project tests/Coordinator.Benchmarks -- outbox [reports=200] [latency-ms=300] [kbit/s=1600] [baseline-reports=50]
//   outbox --quick : 20 reports over 50 ms; a phone's queue delivered through the field app (Debian's chromium)
// dotnet run -c Release --project tests/Coordinator.Benchmarks -- micro [BenchmarkDotNet arguments, e.g. --filter *ViewFold*]
//   micro --quick : one in-process pass of each micro-benchmark
var mode = args.FirstOrDefault();
if (mode is not ("live" or "family" or "desk" or "scale" or "micro" or "remote" or "outbox"))
{
    Console.Error.WriteLine("usage: live [--quick] [rate=1000] [seconds=20] [sectors=400] [concurrency=256]\n" +
        "       family [--quick] [inquiries=100000] [persons=20000] [queries=500] [alerts=50]\n" +
        "       desk [--quick] [sectors=50000] [inquiries=100000] [persons=20000] [queries=500] [reports/s=20]\n" +
        "       scale [--quick] [facilities=20] [sectors-per-facility=5000] [teams=1000] [sectors-to-start=all]\n" +
        "       micro [--quick] [BenchmarkDotNet arguments]\n" +
        "       outbox [--quick] [reports=200] [latency-ms=300] [kbit/s=1600] [baseline-reports=50]\n" +
        "       remote URL[,URL…] [rate=1000] [seconds=20] [sectors=400] [concurrency=256]   (token in COORD_TOKEN)");
    return 2;
}
var rest = args.Skip(1).ToArray();
var quick = rest.Contains("--quick");
if (mode == "micro") return Micro.Run(quick, [.. rest.Where(a => a != "--quick")]);
// remote: the first argument names the nodes; the numbers follow as for live.
var targets = mode == "remote" ? rest.FirstOrDefault() : null;
var token = Environment.GetEnvironmentVariable("COORD_TOKEN");
if (mode == "remote" && (targets is null || string.IsNullOrEmpty(token)))
{
    Console.Error.WriteLine("remote needs the nodes' URLs (comma-separated) and a lead's token in COORD_TOKEN");
    return 2;
}
// --Coordinator:…=… goes to the node: variants are compared in one session (e.g. --Coordinator:Persistence:Writers=3).
var node = rest.Where(a => a.StartsWith("--Coordinator:", StringComparison.Ordinal)).ToArray();
var numbers = rest.Skip(targets is null ? 0 : 1).Where(a => a != "--quick" && !node.Contains(a)).Select(int.Parse).ToArray();
int Arg(int i, int normal, int fast) => numbers.Length > i ? numbers[i] : quick ? fast : normal;
if (mode == "scale")
    return await Scale.RunAsync(new Scale.Options(Facilities: Arg(0, 20, 2), SectorsPerFacility: Arg(1, 5000, 500), Teams: Arg(2, 1000, 20),
        Touched: numbers.Length > 3 ? numbers[3] : null));
if (mode == "desk")
    return await DeskAtScale.RunAsync(new DeskAtScale.Options(Sectors: Arg(0, 50_000, 2_000), Inquiries: Arg(1, 100_000, 5_000),
        Persons: Arg(2, 20_000, 1_000), Queries: Arg(3, 500, 100), ReportsPerSecond: Arg(4, 20, 20)));
if (mode == "outbox")
    return await FieldOutbox.RunAsync(new FieldOutbox.Options(Reports: Arg(0, 200, 20), LatencyMs: Arg(1, 300, 50),
        KilobitsPerSecond: Arg(2, 1600, 1600), BaselineReports: Arg(3, 50, 5)));
if (mode == "family")
    return await FamilyMatching.RunAsync(new FamilyMatching.Options(Inquiries: Arg(0, 100_000, 2_000), Persons: Arg(1, 20_000, 400),
        Queries: Arg(2, 500, 50), Alerts: Arg(3, 50, 5)));
var load = new Load.Options(Rate: Arg(0, 1000, 200), Duration: TimeSpan.FromSeconds(Arg(1, 20, 3)),
    Sectors: Arg(2, 400, 50), Concurrency: Arg(3, 256, 32),
    Warmup: TimeSpan.FromSeconds(quick ? 0 : 5));
return targets is null
    ? await LiveLatency.RunAsync(load, node)
    : await LiveLatency.RunRemoteAsync([.. targets.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(u => new Uri(u))], token!, load);

using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Akka.Actor;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Coordinator.Cluster.Serialization;
using Coordinator.Domain;
using Coordinator.Domain.Facilities;
using Coordinator.Domain.Family;
using Coordinator.Domain.Sectors;
using Coordinator.Domain.Views;

namespace Coordinator.Benchmarks;

/// <summary>
/// BenchmarkDotNet micro-benchmarks of what every report passes through: the sector's rules, the live view's
/// fold, the event serializer (over the golden journal: one stored event of every type), and name matching.
/// </summary>
public static class Micro
{
    public static int Run(bool quick, string[] filter)
    {
        // Quick: one in-process pass per benchmark, enough to prove they run (CI). Full: a short out-of-process job
        // (3 warm-ups, 3 iterations): these paths are microseconds against milliseconds of I/O per report.
        var job = quick ? Job.Dry.WithToolchain(InProcessEmitToolchain.Instance) : Job.ShortRun;
        var config = DefaultConfig.Instance.AddJob(job.AsDefault()).WithOptions(ConfigOptions.DisableOptimizationsValidator);
        var summaries = BenchmarkSwitcher.FromTypes([typeof(SectorRules), typeof(ViewFold), typeof(EventSerialization), typeof(NameMatching)])
            .Run(filter.Length == 0 ? ["--filter", "*"] : filter, config);
        return summaries.All(s => !s.HasCriticalValidationErrors && s.Reports.All(r => r.Success)) ? 0 : 1;
    }

    internal static readonly DateTimeOffset Now = new(2024, 12, 9, 8, 0, 0, TimeSpan.Zero);
    internal static readonly ReportPrints Prints = new(new byte[32]);
    internal const string Facility = "saydnaya";

    internal static ReportPersonsFound PersonsFound(SectorRef cell, string team, int report) =>
        new(cell, $"r-{report}", team, 2, 0, true, "two men, one cannot walk",
            [new PersonDetails("محمد الحلبي", ["Mohammad al-Halabi"], "أحمد", null, 1979, null, "حلب", "weak", null)],
            Author.Team(team));

    /// <summary>Cells C-0…C-(n-1), each with team T-i inside: the state a field report meets.</summary>
    internal static IEnumerable<(SectorRef Cell, string Team, ImmutableList<ISectorEvent> Events)> CellsInProgress(int n) =>
        Enumerable.Range(0, n).Select(i =>
        {
            var cell = new SectorRef(Facility, $"C-{i}");
            var team = $"T-{i}";
            var events = ImmutableList.Create<ISectorEvent>(new SectorDefined(cell,
                new SectorDefinition(cell.Sector, null, SectorKind.Cell, $"Cell {i}", []), Now, Author.System));
            var sector = Sector.Empty(cell).Evolve(events[0]);
            foreach (var command in new ISectorCommand[] { new AcceptTeam(cell, team, [Capability.Search], Author.Lead("amal")),
                new ReportEntered(cell, $"in-{i}", team, Author.Team(team)) })
            {
                var accepted = (Decision<ISectorEvent>.Accepted)sector.Decide(command, Now, Prints);
                events = events.AddRange(accepted.Events);
                sector = accepted.Events.Aggregate(sector, (s, e) => s.Evolve(e));
            }
            return (cell, team, events);
        });
}

/// <summary>A persons-found report against a sector with a team inside: decide, then evolve (the entity's work per report).</summary>
[MemoryDiagnoser]
public class SectorRules
{
    private Sector _sector = null!;
    private ReportPersonsFound _report = null!;
    private ReportPersonsFound _retry = null!;

    [GlobalSetup]
    public void Setup()
    {
        var (cell, team, events) = Micro.CellsInProgress(1).Single();
        _sector = events.Aggregate(Sector.Empty(cell), (s, e) => s.Evolve(e));
        _report = Micro.PersonsFound(cell, team, 1);
        var accepted = (Decision<ISectorEvent>.Accepted)_sector.Decide(_report, Micro.Now, Micro.Prints);
        _retry = _report;
        _sector = accepted.Events.Aggregate(_sector, (s, e) => s.Evolve(e)); // the first report is on record: a retry is a repeat
        _report = Micro.PersonsFound(cell, team, 2);
    }

    [Benchmark(Description = "new report: decide + evolve")]
    public Sector NewReport() =>
        ((Decision<ISectorEvent>.Accepted)_sector.Decide(_report, Micro.Now, Micro.Prints)).Events.Aggregate(_sector, (s, e) => s.Evolve(e));

    [Benchmark(Description = "retried report: decide (repeat)")]
    public Decision<ISectorEvent> RetriedReport() => _sector.Decide(_retry, Micro.Now, Micro.Prints);
}

/// <summary>The live view folding one report's event into a board of 400 cells in progress.</summary>
[MemoryDiagnoser]
public class ViewFold
{
    private Board _board = Board.Empty;
    private PersonsFound _event = null!;

    [GlobalSetup]
    public void Setup()
    {
        var cells = Micro.CellsInProgress(400).ToList();
        var facility = Facility.Empty(Micro.Facility);
        var journal = new List<object>();
        foreach (var command in new IFacilityCommand[]
        {
            new RegisterFacility(Micro.Facility, "Saydnaya", [], null, Author.Lead("amal")),
            new DefineSectors(Micro.Facility, [.. cells.Select(c => ((SectorDefined)c.Events[0]).Definition)], Author.Lead("amal")),
        })
        {
            var accepted = (Decision<IFacilityEvent>.Accepted)facility.Decide(command, Micro.Now);
            journal.AddRange(accepted.Events);
            facility = accepted.Events.Aggregate(facility, (f, e) => f.Evolve(e));
        }
        journal.AddRange(cells.SelectMany(c => c.Events));
        _board = OperationsProjection.Instance.Replay(journal.Select((e, i) => (e, (long)i + 1)));
        var (cell, team, events) = cells[200];
        var sector = events.Aggregate(Sector.Empty(cell), (s, e) => s.Evolve(e));
        _event = (PersonsFound)((Decision<ISectorEvent>.Accepted)sector.Decide(Micro.PersonsFound(cell, team, 1), Micro.Now, Micro.Prints)).Events[0];
    }

    [Benchmark(Description = "persons found into a 400-cell board")]
    public int Apply() => _board.Apply(_event, _board.Offset + 1).Changes.Count;
}

/// <summary>The event serializer over the golden journal: every stored event type, as first written.</summary>
[MemoryDiagnoser]
public class EventSerialization
{
    private ActorSystem _system = null!;
    private EventSerializer _serializer = null!;
    private (string Manifest, byte[] Bytes, object Event)[] _journal = [];

    [GlobalSetup]
    public void Setup()
    {
        _system = ActorSystem.Create("micro");
        _serializer = new EventSerializer((ExtendedActorSystem)_system);
        _journal = [.. File.ReadLines(Path.Combine(AppContext.BaseDirectory, "golden-journal.v1.jsonl"))
            .Select(line => JsonNode.Parse(line)!)
            .Select(n => ((string)n["manifest"]!, System.Text.Encoding.UTF8.GetBytes(n["payload"]!.ToJsonString())))
            .Select(x => (x.Item1, x.Item2, _serializer.FromBinary(x.Item2, x.Item1)))];
    }

    [GlobalCleanup]
    public void Cleanup() => _system.Terminate().Wait();

    [Benchmark(Description = "write every golden event")]
    public int Write() => _journal.Sum(e => _serializer.ToBinary(e.Event).Length + _serializer.Manifest(e.Event).Length);

    [Benchmark(Description = "read every golden event")]
    public int Read() => _journal.Count(e => _serializer.FromBinary(e.Bytes, e.Manifest) is not null);
}

/// <summary>Name matching: building a person's profile (normalise, romanise, key) and scoring it against an inquiry's.</summary>
[MemoryDiagnoser]
public class NameMatching
{
    private static readonly PersonDetails Person =
        new("محمد أحمد الحلبي", ["Mhmd al-Halabi"], "أحمد", "فاطمة", 1979, null, "حلب", null, null);
    private static readonly InquiryDetails Inquiry = new("Mohammad Ahmad Al Halabi", [], "Ahmad", "Fatima", 1980, "Aleppo", null, "+963 000 000");
    private Profile _person = null!;
    private Profile _inquiry = null!;

    [GlobalSetup]
    public void Setup()
    {
        _person = Profile.Of(Person, Micro.Now);
        _inquiry = Profile.Of(Inquiry);
    }

    [Benchmark(Description = "profile of a found person (Arabic)")]
    public Profile PersonProfile() => Profile.Of(Person, Micro.Now);

    [Benchmark(Description = "score an inquiry against a person")]
    public int Score() => Matcher.Score("p", _inquiry, _person).Score;
}

using Coordinator.Cluster;
using Coordinator.Cluster.Facilities;
using Coordinator.Cluster.Sectors;
using Coordinator.Cluster.Teams;
using Coordinator.Cluster.Views;
using Coordinator.Domain;
using Coordinator.Domain.Facilities;
using Coordinator.Domain.Family;
using Coordinator.Domain.Sectors;
using Coordinator.Domain.Teams;
using Coordinator.Domain.Views;
using Coordinator.Node.Http;

namespace Coordinator.Node.Demo;

/// <summary>
/// `--demo`: seeds a clearly labelled simulated operation and drives it with field reports at a human pace,
/// through the same entities a real operation uses. Its storylines: iron doors that block searchers until a
/// door crew opens them, persons found needing medical help, hazards, and a hidden space under a cleared
/// basement cell that reopens it.
/// </summary>
public sealed class DemoOperation(Gateway gateway, Published<Board> live, ILogger<DemoOperation> log, DemoSettings settings) : BackgroundService
{
    private static readonly Author Lead = Author.Lead("demo-lead");
    private readonly Random _random = new(settings.Seed);
    private int _reports;
    private bool _hiddenSpaceFound;

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        try
        {
            await Seed(ct);
            log.LogWarning("DEMO: a simulated operation is running; every facility and report in it is made up");
            while (!ct.IsCancellationRequested)
            {
                await Task.Delay(settings.Tick, ct);
                await Step(ct);
            }
        }
        catch (OperationCanceledException) { }
    }

    private async Task Seed(CancellationToken ct)
    {
        foreach (var f in DemoLayouts.All)
        {
            await gateway.Facilities.Send(new RegisterFacility(f.Id, f.Name, [.. f.Aliases], f.Location, Lead), ct);
            await gateway.Facilities.Send(new DefineSectors(f.Id, f.Sectors, Lead), ct);
        }
        foreach (var (id, callSign, size, capabilities) in DemoLayouts.Teams)
            await gateway.Teams.Send(new RegisterTeam(id, callSign, size, [.. capabilities], Lead), ct);
        foreach (var (id, details) in DemoLayouts.Inquiries)
            await gateway.Inquiries.Send(new RegisterInquiry(id, details, Author.Lead("demo-family-desk")), ct);
    }

    /// <summary>One thing happens per tick: one team moves on, as a radio operator would hear it.</summary>
    private async Task Step(CancellationToken ct)
    {
        if (!live.IsCurrent) return; // a board still reading the journal would send teams where they already are
        var board = live.Current;
        var teams = board.Teams.Values.Where(t => t.Registered).OrderBy(_ => _random.Next()).ToList();
        foreach (var team in teams)
        {
            if (team.Pending is not null) continue;
            if (team.Assignment is { } held && board.SectorOf(held) is { } sector)
            {
                await Work(team, sector, ct);
                return;
            }
            if (team.Status == TeamStatus.Available && Pick(board, team) is { } target)
            {
                await gateway.Teams.Send(new AssignTeam(team.Id, target, Lead), ct);
                return;
            }
        }
        await Reopen(board, ct);
    }

    private async Task Work(Team team, Sector sector, CancellationToken ct)
    {
        var s = sector.Ref;
        var id = $"demo-{++_reports}";
        var by = Author.Team(team.Id);
        var caps = team.Profile!.Capabilities;
        if (sector.Status == SectorStatus.Assigned)
        {
            await gateway.Sectors.Send(new ReportEntered(s, id, team.Id, by), ct);
            return;
        }
        var searches = caps.Contains(Capability.Search) || caps.Contains(Capability.K9);
        var extraNeeds = sector.Needs.Except(sector.Definition!.Needs).ToArray();
        // An access crew opens what it can and hands the cell to the searchers.
        var opens = searches ? extraNeeds : sector.Needs.Where(caps.Contains).ToArray();
        if (opens.Length > 0 && opens.All(caps.Contains))
        {
            await gateway.Sectors.Send(new ReportAccessOpened(s, id, team.Id, [.. opens], by), ct);
            return;
        }
        if (!searches)
        {
            await gateway.Teams.Send(new RecallTeam(team.Id, Lead), ct); // a medical crew does not search
            return;
        }
        var roll = _random.NextDouble();
        var below = sector.Ref.Sector.Contains("-B");
        if (roll < 0.08 && !sector.Needs.Contains(Capability.DoorOpening))
            await gateway.Sectors.Send(new ReportBlocked(s, id, team.Id, [Capability.DoorOpening], "locked iron door", by), ct);
        else if (roll < 0.18 && sector.Alive + sector.Deceased == 0)
            await gateway.Sectors.Send(new ReportPersonsFound(s, id, team.Id, 1 + _random.Next(3), _random.Next(4) == 0 ? 1 : 0, _random.Next(2) == 0,
                "simulated", [DemoLayouts.Person(_random)], by), ct);
        else if (roll < 0.20)
            await gateway.Sectors.Send(new ReportHazard(s, id, team.Id,
                _random.Next(2) == 0 ? "unstable ceiling" : "smoke from the ventilation shaft", by), ct);
        else if (roll < 0.23 && below)
            await gateway.Sectors.Send(new ReportHiddenSpaceFound(s, id, team.Id, $"{s.Sector}-HS", "Void behind the back wall",
                [Capability.Breaching], "hollow sound behind the back wall", by), ct);
        else if (sector.Deceased > 0)
            await gateway.Sectors.Send(new ReportClearedWithDeceased(s, id, team.Id, Method(caps), 0, by), ct);
        else
            await gateway.Sectors.Send(new ReportCleared(s, id, team.Id, Method(caps), by), ct);
    }

    private static SearchMethod Method(IEnumerable<Capability> caps) => caps.Contains(Capability.K9) ? SearchMethod.K9 : SearchMethod.Visual;

    /// <summary>The nearest work this team can do: blocked sectors it can open first, then unsearched leaves, basements early.</summary>
    private SectorRef? Pick(Board board, Team team)
    {
        var caps = team.Profile!.Capabilities;
        var candidates = board.Facilities.Values
            .SelectMany(f => f.Sectors.Values.Where(s => f.IsLeaf(s.Id) && s.Status is SectorStatus.Unsearched or SectorStatus.Blocked
                    && s.Needs.All(caps.Contains))
                .Select(s => (Facility: f.Id, Sector: s)))
            .OrderByDescending(c => c.Sector.Status == SectorStatus.Blocked)
            .ThenBy(_ => _random.Next())
            .Take(1)
            .ToList();
        return candidates.Count == 0 ? null : new SectorRef(candidates[0].Facility, candidates[0].Sector.Id);
    }

    /// <summary>Now and then a lead acts on new evidence: a hidden space under a cleared basement cell, or a hazard made safe.</summary>
    private async Task Reopen(Board board, CancellationToken ct)
    {
        var cleared = board.Facilities.Values
            .SelectMany(f => f.Sectors.Values.Where(s => s.Status == SectorStatus.Cleared && s.Level.Contains("-B"))
                .Select(s => new SectorRef(f.Id, s.Id)))
            .FirstOrDefault();
        if (!_hiddenSpaceFound && cleared is not null)
        {
            _hiddenSpaceFound = true;
            await gateway.Sectors.Send(new ReportHiddenSpaceFound(cleared, $"demo-{++_reports}", "K9-2", $"{cleared.Sector}-LOWER",
                "Lower layer under the cell", [Capability.Breaching], "K9 alert at the floor drain of a cleared cell", Author.Team("K9-2")), ct);
            return;
        }
        var hazard = board.Facilities.Values
            .SelectMany(f => f.Sectors.Values.Where(s => s.Status == SectorStatus.Hazard)
                .Select(s => new SectorRef(f.Id, s.Id)))
            .FirstOrDefault();
        if (hazard is not null)
            await gateway.Sectors.Send(new ReopenSector(hazard, "made safe by the shoring crew", Lead), ct);
    }
}

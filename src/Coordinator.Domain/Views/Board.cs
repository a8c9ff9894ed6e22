using System.Collections.Immutable;
using Coordinator.Domain.Access;
using Coordinator.Domain.Facilities;
using Coordinator.Domain.Family;
using Coordinator.Domain.Sectors;
using Coordinator.Domain.Teams;

namespace Coordinator.Domain.Views;

/// <summary>
/// The operation as monitors and leads see it (the operations projection), folded from the journal's events in
/// journal order. It holds no personal data: persons found are counted here, named only on the family desk. Sector and team
/// states are the domain's own records, advanced by the domain's own Evolve, so the view cannot disagree with
/// the entities on what an event means. Everything here can be rebuilt from the journal at any time.
/// </summary>
public sealed record Board(
    ImmutableDictionary<string, LiveFacility> Facilities,
    ImmutableDictionary<string, Sector> Sectors,
    ImmutableDictionary<string, Team> Teams,
    ImmutableList<Alert> Alerts,
    ImmutableDictionary<string, ImmutableList<Visit>> Coverage,
    long Offset)
{
    public const int MaxAlerts = 1000;

    private static readonly ImmutableDictionary<string, PersonDetails> NoPersons = ImmutableDictionary<string, PersonDetails>.Empty;

    public static readonly Board Empty = new(
        ImmutableDictionary<string, LiveFacility>.Empty, ImmutableDictionary<string, Sector>.Empty, ImmutableDictionary<string, Team>.Empty,
        ImmutableList<Alert>.Empty, ImmutableDictionary<string, ImmutableList<Visit>>.Empty, 0);

    public static string Key(SectorRef s) => s.ToString();

    public Sector? SectorOf(SectorRef s) => Sectors.GetValueOrDefault(Key(s));

    public LiveSector? View(string facility, string sector) =>
        Facilities.TryGetValue(facility, out var f) && f.Sectors.TryGetValue(sector, out var live) ? live : null;

    /// <summary>Alerts whose condition still stands: a hazard not yet reopened, a block not yet lifted, a hidden space not yet searched…</summary>
    public IEnumerable<Alert> OpenAlerts() => Alerts.Where(a =>
    {
        if (a.AcknowledgedBy is not null) return false;
        var s = View(a.Facility, a.Sector);
        return a.Kind switch
        {
            AlertKind.Hazard => s?.Status == SectorStatus.Hazard,
            AlertKind.Blocked => s?.Status == SectorStatus.Blocked,
            AlertKind.Reopened => s is not null && !s.Status.IsFinal(),
            AlertKind.HiddenSpaceFound => s is not null && !s.Status.IsFinal(),
            _ => s is not null && !s.Status.IsFinal(), // persons found: until the sector is done
        };
    });

    /// <summary>Every alert standing now, newest first: the events' own, and the shift alerts the clock raises.</summary>
    public IEnumerable<Alert> OpenAlerts(DateTimeOffset now, ShiftLimit shift) =>
        OpenAlerts().Concat(ShiftAlerts(now, shift)).OrderByDescending(a => a.At).ThenByDescending(a => a.Id);

    /// <summary>A team on duty past the limit raises one alert, and a second once past it by half again.</summary>
    public IEnumerable<Alert> ShiftAlerts(DateTimeOffset now, ShiftLimit shift)
    {
        foreach (var t in Teams.Values.Where(t => t.Registered).OrderBy(t => t.Id, StringComparer.Ordinal))
        {
            var stage = shift.StageOf(t, now);
            if (stage < ShiftStage.PastLimit) continue;
            var since = t.OnDutySince!.Value;
            var (facility, sector) = t.Holds is { } at ? (at.Facility, at.Sector) : ("", "");
            var facts = new AlertFacts(CallSign: t.Profile!.CallSign, Since: since);
            yield return new Alert(0, AlertKind.ShiftLimit, facility, sector, t.Id, facts, since + shift.Limit);
            if (stage == ShiftStage.Overrun) yield return new Alert(0, AlertKind.ShiftOverrun, facility, sector, t.Id, facts, since + shift.Overrun);
        }
    }

    public (Board Board, IReadOnlyList<LiveChange> Changes) Apply(object e, long offset)
    {
        var changes = new List<LiveChange>();
        var next = e switch
        {
            IFacilityEvent f => OnFacility(f, changes),
            ISectorEvent s => OnSector(s, offset, changes),
            ITeamEvent t => OnTeam(t, changes),
            _ => this,
        };
        return (next with { Offset = offset }, changes);
    }

    private Board OnFacility(IFacilityEvent e, List<LiveChange> changes)
    {
        switch (e)
        {
            case FacilityRegistered r:
                var f = new LiveFacility(r.Facility, r.Name, r.Aliases, r.Location, false, ImmutableDictionary<string, LiveSector>.Empty,
                    ImmutableHashSet<string>.Empty, Tally.Zero, ImmutableDictionary<string, Tally>.Empty, [new ClearedPoint(r.At, 0, 0)]);
                changes.Add(new LiveChange(ChangeKind.Facility, r.Facility, null, null, Summary(f)));
                return this with { Facilities = Facilities.SetItem(r.Facility, f) };
            case SectorsDefined d:
                return Define(d.Facility, d.Sectors, d.At, changes);
            case HiddenSpaceAdded h:
                return Define(h.Facility, [h.Child], h.At, changes);
            case FacilitySignedOff or SignOffRevoked when Facilities.TryGetValue(e.Facility, out var signed):
                var updated = signed with { SignedOff = e is FacilitySignedOff };
                changes.Add(new LiveChange(ChangeKind.Facility, e.Facility, null, null, Summary(updated)));
                return this with { Facilities = Facilities.SetItem(e.Facility, updated) };
            default:
                return this; // progress copies and reopening marks: the views take them from the sectors' own events
        }
    }

    private Board Define(string facilityId, IEnumerable<SectorDefinition> definitions, DateTimeOffset at, List<LiveChange> changes)
    {
        if (!Facilities.TryGetValue(facilityId, out var f)) return this;
        var sectors = Sectors;
        foreach (var d in definitions)
        {
            if (f.Sectors.ContainsKey(d.Id)) continue;
            var level = d.Kind == SectorKind.Level ? d.Id
                : d.Parent is { } p && f.Sectors.TryGetValue(p, out var parent) ? parent.Level : FacilityProgress.NoLevel;
            if (d.Parent is { } parentId)
                f = f.Sectors.TryGetValue(parentId, out var parentLive) && f.IsLeaf(parentId)
                    ? (f.Count(parentLive, -1) with { Parents = f.Parents.Add(parentId) }).Count(parentLive, +1) // no longer a leaf
                    : f with { Parents = f.Parents.Add(parentId) };
            var state = Sector.Planned(new SectorRef(facilityId, d.Id), d);
            var live = Live(state, level);
            f = f with { Sectors = f.Sectors.SetItem(d.Id, live) };
            f = f.Count(live, +1);
            sectors = sectors.SetItem(Key(state.Ref), state);
            changes.Add(new LiveChange(ChangeKind.Sector, facilityId, d.Id, null, live));
        }
        f = f.Chart(at);
        changes.Add(new LiveChange(ChangeKind.Progress, facilityId, null, null, Progress(f)));
        return this with { Facilities = Facilities.SetItem(facilityId, f), Sectors = sectors };
    }

    private Board OnSector(ISectorEvent e, long offset, List<LiveChange> changes)
    {
        var key = Key(e.Sector);
        if (!Sectors.TryGetValue(key, out var before) || !Facilities.TryGetValue(e.Sector.Facility, out var f)) return this;
        // The sector's named persons stay on the family desk: the monitors' model counts them, never names them.
        var evolved = before.Evolve(e);
        var after = evolved.Persons.IsEmpty ? evolved : evolved with { Persons = NoPersons };
        var oldLive = f.Sectors[e.Sector.Sector];
        var live = Live(after, oldLive.Level);
        f = f.Count(oldLive, -1).Count(live, +1);
        f = (f with { Sectors = f.Sectors.SetItem(live.Id, live) }).Chart(e.At);
        changes.Add(new LiveChange(ChangeKind.Sector, f.Id, live.Id, live.Team ?? before.Team, live));
        changes.Add(new LiveChange(ChangeKind.Progress, f.Id, null, null, Progress(f)));

        var board = this with { Facilities = Facilities.SetItem(f.Id, f), Sectors = Sectors.SetItem(key, after), Coverage = Cover(e, before, after) };
        if (e is AlertAcknowledged ack && board.Alerts.FindIndex(a => a.Id == ack.Alert) is var at and >= 0)
        {
            var seen = board.Alerts[at] with { AcknowledgedBy = ack.By.Subject, AcknowledgedAt = ack.At };
            board = board with { Alerts = board.Alerts.SetItem(at, seen) };
            changes.Add(new LiveChange(ChangeKind.Acknowledged, seen.Facility, seen.Sector, seen.Team, seen));
        }
        if (AlertFor(e, offset) is { } alert)
        {
            var alerts = board.Alerts.Add(alert);
            board = board with { Alerts = alerts.Count > MaxAlerts ? alerts.RemoveRange(0, alerts.Count - MaxAlerts) : alerts };
            changes.Add(new LiveChange(ChangeKind.Alert, alert.Facility, alert.Sector, alert.Team, alert));
        }
        return board;
    }

    private Board OnTeam(ITeamEvent e, List<LiveChange> changes)
    {
        var team = Teams.GetValueOrDefault(e.Team, Team.Empty(e.Team)).Evolve(e);
        changes.Add(new LiveChange(ChangeKind.Team, null, null, e.Team, LiveTeamOf(team)));
        return this with { Teams = Teams.SetItem(e.Team, team) };
    }

    private ImmutableDictionary<string, ImmutableList<Visit>> Cover(ISectorEvent e, Sector before, Sector after)
    {
        var key = Key(e.Sector);
        var visits = Coverage.GetValueOrDefault(key, ImmutableList<Visit>.Empty);
        var open = visits.Count > 0 && visits[^1].End is null ? visits[^1] : null;
        ImmutableList<Visit> Update(Func<Visit, Visit> change) => open is null ? visits : visits.SetItem(visits.Count - 1, change(open));
        ImmutableList<Visit> Close(SearchMethod? method, string? note) =>
            Update(v => v with { End = e.At, Outcome = after.Status, Method = method, Note = note ?? v.Note });
        var result = e switch
        {
            TeamAssigned a =>
                visits.Add(new Visit(a.Team, Teams.TryGetValue(a.Team, out var t) && t.Profile is { } p ? p.Capabilities : [],
                    a.At, null, null, null, null, 0, 0, null)),
            SectorEntered s => Update(v => v with { Entered = s.At }),
            PersonsFound p => Update(v => v with { Alive = v.Alive + p.Alive, Deceased = v.Deceased + p.Deceased }),
            SectorCleared c => Close(c.Method, null),
            SectorClearedWithDeceased c => Close(c.Method, $"{c.Deceased} deceased remain"),
            SectorBlocked b => Close(null, $"blocked: needs {string.Join(", ", b.Needs)}{(b.Note is null ? "" : $" ({b.Note})")}"),
            AccessOpened o => Close(null, $"opened: {string.Join(", ", o.Needs)}"),
            HazardReported h when before.Team is not null => Close(null, $"hazard: {h.Hazard}"),
            HiddenSpaceFound h => Update(v => v with { Note = $"hidden space {h.Child.Id} found" }),
            TeamReleased => Close(null, "recalled"),
            _ => visits,
        };
        return result.IsEmpty ? Coverage : Coverage.SetItem(key, result);
    }

    private static Alert? AlertFor(ISectorEvent e, long offset) => e switch
    {
        PersonsFound p =>
            new Alert(offset, p.NeedsMedical ? AlertKind.NeedsMedical : AlertKind.PersonsFound, p.Sector.Facility, p.Sector.Sector, p.Team,
                new AlertFacts(Alive: p.Alive, Deceased: p.Deceased), p.At),
        HazardReported h => new Alert(offset, AlertKind.Hazard, h.Sector.Facility, h.Sector.Sector, h.Team, new AlertFacts(Note: h.Hazard), h.At),
        HiddenSpaceFound h =>
            new Alert(offset, AlertKind.HiddenSpaceFound, h.Sector.Facility, h.Child.Id, h.Team, new AlertFacts(In: h.Sector.Sector, Note: h.Note),
                h.At),
        SectorBlocked b =>
            new Alert(offset, AlertKind.Blocked, b.Sector.Facility, b.Sector.Sector, b.Team, new AlertFacts(Needs: b.Needs, Note: b.Note), b.At),
        SectorReopened r => new Alert(offset, AlertKind.Reopened, r.Sector.Facility, r.Sector.Sector, null, new AlertFacts(Note: r.Reason), r.At),
        _ => null,
    };

    public static LiveSector Live(Sector s, string level) => new(
        s.Ref.Sector, s.Definition!.Parent, s.Definition.Kind, s.Definition.Name, level, s.Needs, s.Status, s.Team, s.Alive, s.Deceased, s.Hazard,
        s.Version, s.Definition.Plan);

    public static LiveTeam LiveTeamOf(Team t) =>
        new(t.Id, t.Profile?.CallSign ?? t.Id, t.Profile?.Size ?? 0, t.Profile?.Capabilities ?? [], t.Status, t.Holds, t.OnSiteSince, t.OnDutySince);

    public static FacilitySummary Summary(LiveFacility f) => new FacilitySummary(f.Id, f.Name, f.SignedOff, f.Sectors.Count);

    public static LiveProgress Progress(LiveFacility f) =>
        new(f.Id, f.Total, [.. f.Levels.OrderBy(l => FacilityProgress.LevelOrder(l.Key)).Select(l => new LevelTally(l.Key, l.Value))]);
}

public sealed record FacilitySummary(string Id, string Name, bool SignedOff, int Sectors);

public sealed record LevelTally(string Level, Tally Tally);

public sealed record LiveProgress(string Facility, Tally Total, IReadOnlyList<LevelTally> Levels);

public static class LiveFacilityCounting
{
    /// <summary>Adds (+1) or removes (-1) a sector's contribution to its facility's and level's tallies.</summary>
    public static LiveFacility Count(this LiveFacility f, LiveSector s, int sign)
    {
        Tally Apply(Tally t)
        {
            t = t.Persons(sign * s.Alive, sign * s.Deceased);
            return f.IsLeaf(s.Id) ? t.Leaf(s.Status, sign) : t;
        }
        return f with { Total = Apply(f.Total), Levels = f.Levels.SetItem(s.Level, Apply(f.Levels.GetValueOrDefault(s.Level, Tally.Zero))) };
    }

    /// <summary>Adds a chart point when the number of final leaves (or of leaves) changed.</summary>
    public static LiveFacility Chart(this LiveFacility f, DateTimeOffset at)
    {
        var last = f.ClearedOverTime.LastOrDefault();
        return last is not null && last.Final == f.Total.Final && last.Leaves == f.Total.LeafCount
            ? f
            : f with { ClearedOverTime = f.ClearedOverTime.Add(new ClearedPoint(at, f.Total.Final, f.Total.LeafCount)) };
    }
}

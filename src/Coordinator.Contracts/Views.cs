using Coordinator.Domain;
using Coordinator.Domain.Facilities;
using Coordinator.Domain.Sectors;
using Coordinator.Domain.Teams;

namespace Coordinator.Contracts;

// What the API returns: views of entity state, never the stored records themselves.

public sealed record ProgressView(int Leaves, int Cleared, int ClearedWithDeceased, int InProgress, int Blocked, int Hazard, int Unsearched,
    int PersonsAlive, int PersonsDeceased, double PercentFinal)
{
    public static ProgressView Of(Coordinator.Domain.Views.Tally t) => Of(new ProgressCounts(
        t.LeafCount, t.Count(SectorStatus.Cleared), t.Count(SectorStatus.ClearedWithDeceased),
        t.Count(SectorStatus.Assigned) + t.Count(SectorStatus.InProgress),
        t.Count(SectorStatus.Blocked), t.Count(SectorStatus.Hazard), t.Count(SectorStatus.Unsearched), t.Alive, t.Deceased));

    public static ProgressView Of(ProgressCounts c) =>
        new(c.Leaves, c.Cleared, c.ClearedWithDeceased, c.InProgress, c.Blocked, c.Hazard, c.Unsearched, c.PersonsAlive, c.PersonsDeceased,
            Math.Round(c.Final * 100, 1));
}

public sealed record LevelProgressView(string Level, ProgressView Progress);

public sealed record FacilityView(string Id, string Name, string[] Aliases, string? Location, bool SignedOff, int Sectors, long Version,
    ProgressView Progress, LevelProgressView[] Levels)
{
    public static FacilityView Of(Facility f)
    {
        var progress = FacilityProgress.Of(f);
        return new(f.Id, f.Profile!.Name, [.. f.Profile.Aliases], f.Profile.Location, f.SignedOff, f.Sectors.Count, f.Version,
            ProgressView.Of(progress.Total), [.. progress.Levels.Select(l => new LevelProgressView(l.Level, ProgressView.Of(l.Counts)))]);
    }
}

public sealed record SectorView(
    string FacilityId, string Id, string? Parent, SectorKind Kind, string Name, string[] Children, Capability[] Needs,
    SectorStatus Status, string? Team, string? LastTeam, string? Hazard, int PersonsAlive, int PersonsDeceased, long Version)
{
    public static SectorView Of(Sector s, IEnumerable<string> children) => new(
        s.Ref.Facility, s.Ref.Sector, s.Definition!.Parent, s.Definition.Kind, s.Definition.Name, [.. children.Order(StringComparer.Ordinal)],
        [.. s.Needs], s.Status, s.Team, s.LastTeam, s.Hazard, s.Alive, s.Deceased, s.Version);
}

public sealed record SectorAddress(string FacilityId, string SectorId)
{
    public static SectorAddress? Of(SectorRef? r) => r is null ? null : new(r.Facility, r.Sector);

    public override string ToString() => $"{FacilityId}/{SectorId}";
}

public sealed record PendingView(PendingStep Step, SectorAddress Sector);

/// <summary>OnSite: time in the present sector. OnDuty: the shift, across sectors, until the team is set resting.</summary>
public sealed record TeamView(
    string Id, string CallSign, int Size, Capability[] Capabilities, TeamStatus Status, SectorAddress? Assignment,
    PendingView? Pending, DateTimeOffset? OnSiteSince, double? SecondsOnSite, DateTimeOffset? OnDutySince, double? SecondsOnDuty,
    ShiftStage Shift, bool PastShift, long Version)
{
    public static TeamView Of(Team t, DateTimeOffset now, ShiftLimit limit) => new(
        t.Id, t.Profile!.CallSign, t.Profile.Size, [.. t.Profile.Capabilities], t.Status, SectorAddress.Of(t.Assignment),
        t.Pending is { } p ? new PendingView(p.Step, SectorAddress.Of(p.Sector)!) : null,
        t.OnSiteSince, Seconds(t.OnSiteSince, now), t.OnDutySince, Seconds(t.OnDutySince, now), limit.StageOf(t, now),
        limit.StageOf(t, now) >= ShiftStage.PastLimit, t.Version);

    public static double? Seconds(DateTimeOffset? since, DateTimeOffset now) => since is { } s ? Math.Round((now - s).TotalSeconds) : null;
}

/// <summary>A team's phone's view: the team and, when it has one, its assignment.</summary>
public sealed record BriefingView(TeamView Team, AssignmentBriefing? Assignment);

/// <summary>Path: the places that contain the sector, outermost first (level, block, corridor).</summary>
public sealed record AssignmentBriefing(string FacilityId, string FacilityName, SectorView Sector, PlaceView[] Path);

public sealed record PlaceView(string Id, string Name, SectorKind Kind);

public sealed record HistoryEntry(long Sequence, string Event, DateTimeOffset At, string By, object Data);

public sealed record FacilityBoardView(
    string Id, string Name, string[] Aliases, string? Location, bool SignedOff, int Sectors, ProgressView Progress,
    LevelProgressView[] Levels, Coordinator.Domain.Views.ClearedPoint[] ClearedOverTime);

public sealed record TeamBoardView(
    string Id, string CallSign, int Size, Capability[] Capabilities, TeamStatus Status, SectorAddress? Sector,
    DateTimeOffset? OnSiteSince, double? SecondsOnSite, DateTimeOffset? OnDutySince, double? SecondsOnDuty, ShiftStage Shift, bool PastShift);

/// <summary>
/// The operation at a glance: every facility's progress, every team, the alerts still standing. ShiftLimitSeconds
/// lets the page tell, as the clock runs, when a team's shift crosses the limit.
/// </summary>
public sealed record BoardView(long Offset, FacilityBoardView[] Facilities, TeamBoardView[] Teams, Coordinator.Domain.Views.Alert[] OpenAlerts,
    double ShiftLimitSeconds)
{
    public static BoardView Of(Coordinator.Domain.Views.Board b, DateTimeOffset now, ShiftLimit shift) => new(
        b.Offset,
        [.. b.Facilities.Values.OrderBy(f => f.Id, StringComparer.Ordinal).Select(f => new FacilityBoardView(
            f.Id, f.Name, [.. f.Aliases], f.Location, f.SignedOff, f.Sectors.Count, ProgressView.Of(f.Total),
            [.. Coordinator.Domain.Views.Board.Progress(f).Levels.Select(l => new LevelProgressView(l.Level, ProgressView.Of(l.Tally)))],
            [.. f.ClearedOverTime]))],
        [.. b.Teams.Values.Where(t => t.Registered).OrderBy(t => t.Id, StringComparer.Ordinal).Select(t => new TeamBoardView(
            t.Id, t.Profile!.CallSign, t.Profile.Size, [.. t.Profile.Capabilities], t.Status, SectorAddress.Of(t.Holds),
            t.OnSiteSince, TeamView.Seconds(t.OnSiteSince, now), t.OnDutySince, TeamView.Seconds(t.OnDutySince, now),
            shift.StageOf(t, now), shift.StageOf(t, now) >= ShiftStage.PastLimit))],
        [.. b.OpenAlerts(now, shift)], shift.Limit.TotalSeconds);
}

/// <summary>One sector's coverage record: every visit, and the marking for its door.</summary>
public sealed record CoverageRow(string Facility, string Sector, string Name, string Level, SectorKind Kind, bool Leaf, SectorStatus Status,
    string? Marking, Coordinator.Domain.Views.Visit[] Visits)
{
    public static IEnumerable<CoverageRow> Of(Coordinator.Domain.Views.Board b, string facility)
    {
        var f = b.Facilities[facility];
        foreach (var s in f.Sectors.Values.OrderBy(s => Coordinator.Domain.Facilities.FacilityProgress.LevelOrder(s.Level))
            .ThenBy(s => s.Id, StringComparer.Ordinal))
        {
            var visits = b.Coverage.GetValueOrDefault($"{facility}/{s.Id}", []);
            yield return new CoverageRow(facility, s.Id, s.Name, s.Level, s.Kind, f.IsLeaf(s.Id), s.Status,
                Coordinator.Domain.Views.Marking.For(s, visits.LastOrDefault(v => v.End is not null)), [.. visits]);
        }
    }

    public static string Csv(IEnumerable<CoverageRow> rows)
    {
        var csv = new System.Text.StringBuilder(
            "facility,sector,name,level,kind,leaf,status,team,capabilities,assigned,entered,ended,method,outcome,alive,deceased,note,marking\n");
        static string Q(object? v) => CsvText.Field(v);
        foreach (var r in rows)
        {
            var lead = $"{Q(r.Facility)},{Q(r.Sector)},{Q(r.Name)},{Q(r.Level)},{r.Kind},{r.Leaf},{r.Status}";
            if (r.Visits.Length == 0) csv.Append(lead).Append(",,,,,,,,,,,").Append(Q(r.Marking)).Append('\n');
            foreach (var v in r.Visits)
                csv.Append(lead).Append(',').AppendJoin(',', Q(v.Team), Q(string.Join(' ', v.Capabilities)), Q(v.Start), Q(v.Entered), Q(v.End),
                    Q(v.Method), Q(v.Outcome), v.Alive, v.Deceased, Q(v.Note), Q(r.Marking)).Append('\n');
        }
        return csv.ToString();
    }
}

public static class CsvText
{
    /// <summary>
    /// One CSV field, quoted when needed. A field a spreadsheet could run as a formula is written as <c>'</c> and the
    /// field, quoted, so it shows as text (docs/security.md).
    /// </summary>
    public static string Field(object? v)
    {
        var s = v switch { null => "", DateTimeOffset d => d.ToString("O"), _ => v.ToString() ?? "" };
        if (RunsAsFormula(s)) return Quoted("'" + s);
        return s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? Quoted(s) : s;
    }

    /// <summary>
    /// Starts with a tab or carriage return, or has a part — the field itself, or what follows a separator a spreadsheet's
    /// import may be set to split on (, ; | tab, a line break) — that starts with = + - @, after spaces (spreadsheets trim
    /// them). Quoted, such a field stays one cell whatever the separator, and it starts with the ' that makes it text.
    /// </summary>
    private static bool RunsAsFormula(string s)
    {
        if (s.Length > 0 && s[0] is '\t' or '\r') return true;
        var partStarts = true;
        foreach (var c in s)
        {
            if (partStarts && c is '=' or '+' or '-' or '@') return true;
            if (c is ',' or ';' or '|' or '\t' or '\n' or '\r') partStarts = true;
            else if (!char.IsWhiteSpace(c)) partStarts = false;
        }
        return false;
    }

    private static string Quoted(string s) => $"\"{s.Replace("\"", "\"\"")}\"";

    public static string Row(params object?[] fields) => string.Join(',', fields.Select(Field)) + "\n";
}

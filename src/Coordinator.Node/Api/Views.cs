using Coordinator.Domain;
using Coordinator.Domain.Facilities;
using Coordinator.Domain.Sectors;
using Coordinator.Domain.Teams;

namespace Coordinator.Node.Api;

// What the API returns: views of entity state, never the stored records themselves.

public sealed record ProgressView(int Leaves, int Cleared, int ClearedWithDeceased, int InProgress, int Blocked, int Hazard, int Unsearched, int PersonsAlive, int PersonsDeceased, double PercentFinal)
{
    public static ProgressView Of(ProgressCounts c) =>
        new(c.Leaves, c.Cleared, c.ClearedWithDeceased, c.InProgress, c.Blocked, c.Hazard, c.Unsearched, c.PersonsAlive, c.PersonsDeceased, Math.Round(c.Final * 100, 1));
}

public sealed record LevelProgressView(string Level, ProgressView Progress);

public sealed record FacilityView(string Id, string Name, string[] Aliases, string? Location, bool SignedOff, int Sectors, long Version, ProgressView Progress, LevelProgressView[] Levels)
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
}

public sealed record PendingView(PendingStep Step, SectorAddress Sector);

public sealed record TeamView(
    string Id, string CallSign, int Size, Capability[] Capabilities, TeamStatus Status, SectorAddress? Assignment,
    PendingView? Pending, DateTimeOffset? OnSiteSince, double? SecondsOnSite, bool PastShift, long Version)
{
    public static TeamView Of(Team t, DateTimeOffset now) => new(
        t.Id, t.Profile!.CallSign, t.Profile.Size, [.. t.Profile.Capabilities], t.Status, SectorAddress.Of(t.Assignment),
        t.Pending is { } p ? new PendingView(p.Step, SectorAddress.Of(p.Sector)!) : null,
        t.OnSiteSince, t.OnSiteSince is { } since ? Math.Round((now - since).TotalSeconds) : null, t.PastShift(now), t.Version);
}

public sealed record HistoryEntry(long Sequence, string Event, DateTimeOffset At, string By, object Data);

public sealed record ReportOutcomeView(string ReportId, string Outcome, string SectorStatus, long Version);

public sealed record AcceptedView(string Status, long Version);

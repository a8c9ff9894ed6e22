using System.Collections.Immutable;
using Coordinator.Domain.Sectors;
using Coordinator.Domain.Views;

namespace Coordinator.Domain.Teams;

/// <summary>Why a team is a good pick for a sector, in the order the ranking weighs it.</summary>
public enum SuggestionReasonCode { Available, HasEveryNeed, NothingNeeded, NotOnShift, OnShiftFor, OnThatLevel, LeavesIdle }

/// <summary>
/// One reason for a pick: Capabilities for HasEveryNeed and LeavesIdle (what it brings that this sector does not use), OnShift for OnShiftFor,
/// Level for OnThatLevel.
/// </summary>
public sealed record SuggestionReason(SuggestionReasonCode Code, ImmutableArray<Capability> Capabilities, TimeSpan? OnShift, string? Level);

/// <summary>
/// Why a team cannot take the sector now, with the refusal code the team's or the sector's own rule would answer:
/// Missing for TeamLacksCapability, Sector for TeamBusy, Status for TeamNotAvailable.
/// </summary>
public sealed record SuggestionBar(RefusalCode Code, string Reason, ImmutableArray<Capability> Missing, SectorRef? Sector, TeamStatus? Status);

public sealed record TeamSuggestion(
    string Team, string CallSign, ImmutableArray<Capability> Capabilities, TeamStatus Status, bool CanTakeNow,
    ImmutableArray<SuggestionReason> Why, ImmutableArray<SuggestionBar> WhyNot);

/// <summary>The sector as the ranking sees it.</summary>
public sealed record SuggestionTarget(SectorRef Sector, string Level, SectorStatus Status, ImmutableArray<Capability> Needs);

/// <summary>A team and the level it is on: where it holds a sector, else where it last worked (null when nowhere yet).</summary>
public sealed record TeamSituation(LiveTeam Team, string? Level);

/// <summary>
/// Every team for one sector: those that can take it now first, best first, each with why; then those that
/// cannot, each with the refusals the team's and the sector's rules would give. Sector: the sector's own
/// refusal when no team can be assigned to it in its status (then no team can take it now).
/// </summary>
public sealed record SuggestionList(SuggestionTarget Target, Refusal? Sector, ImmutableArray<TeamSuggestion> Teams);

public static class Suggestions
{
    /// <summary>When the team's time on shift started: its shift clock, kept across sectors until it rests.</summary>
    public static DateTimeOffset? ShiftStart(LiveTeam team) => team.OnDutySince;

    /// <summary>
    /// Ranks teams that can take the sector by: least whole hours on shift (rested teams first), then already on
    /// that level (no walk across the facility), then fewest capabilities left idle (a door crew stays free for
    /// doors), then exact time on shift, then id. Whole hours, so a minute's difference does not outweigh the level.
    /// </summary>
    public static SuggestionList Rank(SuggestionTarget target, IEnumerable<TeamSituation> teams, DateTimeOffset now)
    {
        var sectorRefusal = Sector.TakesTeams(target.Status) ? null
            : new Refusal(RefusalCode.SectorNotAssignable, $"sector '{target.Sector}' is {target.Status}");
        var judged = teams.Select(t => Judge(target, t, now)).ToList();
        var able = judged.Where(j => j.Bars.IsEmpty && sectorRefusal is null)
            .OrderBy(j => (int)Math.Floor(j.OnShift.TotalHours))
            .ThenBy(j => j.OnLevel ? 0 : 1)
            .ThenBy(j => j.Idle.Length)
            .ThenBy(j => j.OnShift)
            .ThenBy(j => j.Situation.Team.Id, StringComparer.Ordinal);
        var unable = judged.Where(j => !j.Bars.IsEmpty || sectorRefusal is not null)
            .OrderBy(j => j.Bars.Length)
            .ThenBy(j => j.Situation.Team.Id, StringComparer.Ordinal);
        return new SuggestionList(target, sectorRefusal,
            [.. able.Select(j => Suggestion(target, j, true)), .. unable.Select(j => Suggestion(target, j, false))]);
    }

    /// <summary>The ranking for one sector of the live board, or the refusal naming what is not there.</summary>
    public static (SuggestionList? List, Refusal? Refusal) For(Board board, SectorRef sector, DateTimeOffset now)
    {
        if (!board.Facilities.TryGetValue(sector.Facility, out var facility))
            return (null, new Refusal(RefusalCode.FacilityNotFound, $"facility '{sector.Facility}' is not registered"));
        if (!facility.Sectors.TryGetValue(sector.Sector, out var live))
            return (null, new Refusal(RefusalCode.SectorNotFound, $"sector '{sector.Sector}' is not defined in facility '{sector.Facility}'"));
        var lastPlace = LastPlaces(board);
        var teams = board.Teams.Values.Where(t => t.Registered).Select(t =>
        {
            var place = t.Holds ?? lastPlace.GetValueOrDefault(t.Id);
            return new TeamSituation(Board.LiveTeamOf(t),
                place is null ? null : board.View(place.Facility, place.Sector)?.Level is { } level ? $"{place.Facility}/{level}" : null);
        });
        return (Rank(new SuggestionTarget(sector, $"{sector.Facility}/{live.Level}", live.Status, live.Needs), teams, now), null);
    }

    /// <summary>Where each team's latest visit was: the level a free team stands on.</summary>
    private static Dictionary<string, SectorRef> LastPlaces(Board board)
    {
        var latest = new Dictionary<string, (DateTimeOffset At, SectorRef Sector)>();
        foreach (var (key, visits) in board.Coverage)
            foreach (var v in visits)
                if (!latest.TryGetValue(v.Team, out var known) || v.Start > known.At)
                {
                    var slash = key.IndexOf('/');
                    latest[v.Team] = (v.Start, new SectorRef(key[..slash], key[(slash + 1)..]));
                }
        return latest.ToDictionary(l => l.Key, l => l.Value.Sector);
    }

    private sealed record Judgement(TeamSituation Situation, ImmutableArray<SuggestionBar> Bars, TimeSpan OnShift, bool OnLevel,
        ImmutableArray<Capability> Idle);

    /// <summary>The same checks, in the same words, as Team.Decide(AssignTeam) and Sector.Decide(AcceptTeam).</summary>
    private static Judgement Judge(SuggestionTarget target, TeamSituation situation, DateTimeOffset now)
    {
        var team = situation.Team;
        var bars = ImmutableArray.CreateBuilder<SuggestionBar>();
        if (team.Sector is { } held)
            bars.Add(new SuggestionBar(RefusalCode.TeamBusy, $"team '{team.Id}' already holds sector '{held}'", [], held, null));
        else if (team.Status is TeamStatus.Resting or TeamStatus.OutOfService)
            bars.Add(new SuggestionBar(RefusalCode.TeamNotAvailable, $"team '{team.Id}' is {team.Status}", [], null, team.Status));
        var missing = Sector.Missing(target.Needs, team.Capabilities);
        if (missing.Count > 0)
            bars.Add(new SuggestionBar(RefusalCode.TeamLacksCapability,
                $"team {team.Id} lacks {string.Join(", ", missing)} needed for sector '{target.Sector}'", [.. missing], null, null));
        var onShift = ShiftStart(team) is { } since && now > since ? now - since : TimeSpan.Zero;
        // Every team searches: Search left unused is no loss, a door crew or a medic left unused is.
        return new Judgement(situation, bars.ToImmutable(), onShift, situation.Level == target.Level,
            [.. team.Capabilities.Except(target.Needs).Except([Capability.Search])]);
    }

    private static TeamSuggestion Suggestion(SuggestionTarget target, Judgement j, bool canTake)
    {
        var team = j.Situation.Team;
        var why = ImmutableArray.CreateBuilder<SuggestionReason>();
        if (canTake)
        {
            why.Add(Reason(SuggestionReasonCode.Available));
            why.Add(target.Needs.IsDefaultOrEmpty ? Reason(SuggestionReasonCode.NothingNeeded)
                : Reason(SuggestionReasonCode.HasEveryNeed) with { Capabilities = target.Needs });
            why.Add(j.OnShift == TimeSpan.Zero ? Reason(SuggestionReasonCode.NotOnShift)
                : Reason(SuggestionReasonCode.OnShiftFor) with { OnShift = j.OnShift });
            if (j.OnLevel) why.Add(Reason(SuggestionReasonCode.OnThatLevel) with { Level = target.Level[(target.Level.IndexOf('/') + 1)..] });
            if (j.Idle.Length > 0) why.Add(Reason(SuggestionReasonCode.LeavesIdle) with { Capabilities = j.Idle });
        }
        return new TeamSuggestion(team.Id, team.CallSign, team.Capabilities, team.Status, canTake, why.ToImmutable(), j.Bars);
    }

    private static SuggestionReason Reason(SuggestionReasonCode code) => new(code, [], null, null);
}

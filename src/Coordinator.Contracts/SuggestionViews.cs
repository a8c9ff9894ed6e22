using Coordinator.Domain;
using Coordinator.Domain.Teams;
using Coordinator.Domain.Views;

namespace Coordinator.Contracts;

// Views for a lead picking a team and looking at what keeps a facility from sign-off.

/// <summary>OnShiftSeconds for OnShiftFor; Capabilities for HasEveryNeed and LeavesIdle; Level for OnThatLevel.</summary>
public sealed record SuggestionReasonView(SuggestionReasonCode Code, Capability[]? Capabilities, double? OnShiftSeconds, string? Level);

/// <summary>
/// Code is the refusal the assignment would get; Missing, Sector or Status say more for TeamLacksCapability, TeamBusy, TeamNotAvailable.
/// </summary>
public sealed record SuggestionBarView(RefusalCode Code, string Detail, Capability[]? Missing, SectorAddress? Sector, TeamStatus? Status);

public sealed record TeamSuggestionView(string Team, string CallSign, Capability[] Capabilities, TeamStatus Status, bool CanTakeNow,
    SuggestionReasonView[] Why, SuggestionBarView[] WhyNot);

/// <summary>Teams best first; SectorRefusal when the sector takes no team in its status.</summary>
public sealed record SuggestionsView(string FacilityId, string SectorId, SectorStatus Status, Capability[] Needs, SuggestionBarView? SectorRefusal,
    TeamSuggestionView[] Teams)
{
    public static SuggestionsView Of(SuggestionList l) => new(
        l.Target.Sector.Facility, l.Target.Sector.Sector, l.Target.Status, [.. l.Target.Needs],
        l.Sector is { } r ? new SuggestionBarView(r.Code, r.Reason, null, null, null) : null,
        [.. l.Teams.Select(t => new TeamSuggestionView(t.Team, t.CallSign, [.. t.Capabilities], t.Status, t.CanTakeNow,
            [.. t.Why.Select(w => new SuggestionReasonView(w.Code, w.Capabilities.IsDefaultOrEmpty ? null : [.. w.Capabilities],
                w.OnShift is { } d ? Math.Round(d.TotalSeconds) : null, w.Level))],
            [.. t.WhyNot.Select(b => new SuggestionBarView(b.Code, b.Reason, b.Missing.IsDefaultOrEmpty ? null : [.. b.Missing],
                SectorAddress.Of(b.Sector), b.Status))]))]);
}

/// <summary>Groups in the order a lead acts on them; empty when nothing stands in the way.</summary>
public sealed record OutstandingView(string FacilityId, bool SignedOff, int Count, OutstandingGroup[] Groups)
{
    public static OutstandingView Of(LiveFacility f)
    {
        var groups = Outstanding.Of(f);
        return new(f.Id, f.SignedOff, groups.Sum(g => g.Sectors.Length), [.. groups]);
    }
}

namespace Coordinator.Domain.Teams;

/// <summary>Where a team stands on its shift: off duty, within it, past the limit, or past it by half again.</summary>
public enum ShiftStage { OffDuty, OnDuty, PastLimit, Overrun }

/// <summary>How long a team may stay on duty before the board warns; it warns again at half as long again.</summary>
public sealed record ShiftLimit(TimeSpan Limit)
{
    public static readonly ShiftLimit Default = new(TimeSpan.FromHours(6));

    public TimeSpan Overrun => Limit * 1.5;

    public ShiftStage StageOf(Team team, DateTimeOffset now) => team.OnDuty(now) switch
    {
        null => ShiftStage.OffDuty,
        var d when d >= Overrun => ShiftStage.Overrun,
        var d when d >= Limit => ShiftStage.PastLimit,
        _ => ShiftStage.OnDuty,
    };
}

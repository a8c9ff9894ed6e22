using Coordinator.Domain.Teams;

namespace Coordinator.Node.Teams;

/// <summary>The "Coordinator:Teams" section.</summary>
public sealed record TeamSettings
{
    /// <summary>Time on duty after which the board raises a shift alert; a second at half as long again.</summary>
    public TimeSpan ShiftLimit { get; init; } = Domain.Teams.ShiftLimit.Default.Limit;

    public ShiftLimit Shift() => ShiftLimit > TimeSpan.Zero
        ? new ShiftLimit(ShiftLimit)
        : throw new InvalidOperationException($"Coordinator:Teams:ShiftLimit must be a positive time, like 06:00:00 (it is {ShiftLimit})");
}

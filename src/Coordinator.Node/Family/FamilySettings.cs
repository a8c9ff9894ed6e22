namespace Coordinator.Node.Family;

/// <summary>The "Coordinator:Family" section.</summary>
public sealed record FamilySettings
{
    /// <summary>How long a closed inquiry keeps the family's details; then they are erased (reason "retention").</summary>
    public TimeSpan RetainClosedInquiries { get; init; } = TimeSpan.FromDays(365);

    /// <summary>How often the cluster's one retention check looks for closed inquiries past their retention.</summary>
    public TimeSpan RetentionCheckEvery { get; init; } = TimeSpan.FromHours(1);

    public FamilySettings Checked() => RetainClosedInquiries > TimeSpan.Zero && RetentionCheckEvery > TimeSpan.Zero
        ? this
        : throw new InvalidOperationException(
            "Coordinator:Family:RetainClosedInquiries and RetentionCheckEvery must be positive times, like 365.00:00:00");
}

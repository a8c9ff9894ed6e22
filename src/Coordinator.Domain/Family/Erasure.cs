namespace Coordinator.Domain.Family;

/// <summary>What an erasure of a person's or an inquiry's details must say, and must not.</summary>
public static class Erasure
{
    public const int MaxReasonLength = 500;

    /// <summary>The reason stays in the journal for good: it is required, and must not repeat the name or contact it erases.</summary>
    public static Refusal? InvalidReason(string? reason, params string?[] erased) =>
        string.IsNullOrWhiteSpace(reason) || reason.Length > MaxReasonLength
            ? new Refusal(RefusalCode.InvalidField, $"a reason is required, at most {MaxReasonLength} characters")
            : erased.Any(d => !string.IsNullOrWhiteSpace(d) && reason.Contains(d.Trim(), StringComparison.OrdinalIgnoreCase))
                ? new Refusal(RefusalCode.InvalidField, "the reason must not repeat the details it erases: it stays in the history")
                : null;
}

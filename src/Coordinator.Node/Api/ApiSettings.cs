namespace Coordinator.Node.Api;

/// <summary>The "Coordinator:Api" section.</summary>
public sealed record ApiSettings
{
    /// <summary>How long a request waits for the cluster before it answers 503 Unavailable.</summary>
    public TimeSpan AskTimeout { get; init; } = TimeSpan.FromSeconds(10);
}

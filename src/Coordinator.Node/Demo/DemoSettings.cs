namespace Coordinator.Node.Demo;

/// <summary>The "Coordinator:Demo" section: how often the demo operation moves, and its random seed.</summary>
public sealed record DemoSettings
{
    public TimeSpan Tick { get; init; } = TimeSpan.FromSeconds(1.5);
    public int Seed { get; init; } = 2024;
}

namespace Coordinator.Node.Live;

/// <summary>The "Coordinator:Stream" section: the live stream's keep-alive, access checks and limit per token.</summary>
public sealed record StreamSettings
{
    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How often an open stream checks its token's expiry and revocation.</summary>
    public TimeSpan AccessCheck { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Streams one token may hold open at once (tabs, a phone and a laptop); past it, 429 TooManyStreams.</summary>
    public int MaxPerToken { get; init; } = 8;
}

namespace Coordinator.Node.Access;

/// <summary>The "Coordinator:Auth" section (environment: Coordinator__Auth__…).</summary>
public sealed record AuthSettings
{
    /// <summary>
    /// The key that signs tokens: the same on every node of a cluster (at least 32 characters). When empty, a
    /// node creates one in <see cref="DataFolder"/> on first start: fine for one node, not for a cluster.
    /// </summary>
    public string? SigningKey { get; init; }

    /// <summary>A secret with lead and admin rights for the first start. When empty, one is created in <see cref="DataFolder"/>.</summary>
    public string? BootstrapToken { get; init; }

    /// <summary>Where a created signing key and bootstrap token are kept, readable by the owner only.</summary>
    public string DataFolder { get; init; } = "./data";

    /// <summary>Requests a token (or, without one, an address) may make per minute; 0 turns the limit off.</summary>
    public int RequestsPerMinute { get; init; } = 1200;

    public string Issuer { get; init; } = "coordinator";
}

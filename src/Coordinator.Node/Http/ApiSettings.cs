namespace Coordinator.Node.Http;

/// <summary>The "Coordinator:Api" section.</summary>
public sealed record ApiSettings
{
    /// <summary>How long a request waits for the cluster before it answers 503 Unavailable.</summary>
    public TimeSpan AskTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The address phones use to reach the node (e.g. https://coord.example behind a TLS proxy), for the links in
    /// enrolment codes. Empty: the address the lead's request came to.
    /// </summary>
    public string? PublicUrl { get; init; }

    /// <summary>How families reach the family desk (phone, address), printed on the slips handed to them.</summary>
    public string? DeskContact { get; init; }
}

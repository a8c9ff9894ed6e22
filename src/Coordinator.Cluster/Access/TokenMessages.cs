namespace Coordinator.Cluster.Access;

public sealed record GetTokens;

/// <summary>The tokens and the enrolment codes: what a redemption gave, to answer it.</summary>
public sealed record GetTokenRegistry;

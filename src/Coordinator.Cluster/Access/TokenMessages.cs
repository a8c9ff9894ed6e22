namespace Coordinator.Cluster.Access;

/// <summary>Questions to the one token registry besides its domain commands.</summary>
public interface ITokenMessage;

public sealed record GetTokens : ITokenMessage;

/// <summary>The tokens and the enrolment codes: what a redemption gave, to answer it.</summary>
public sealed record GetTokenRegistry : ITokenMessage;

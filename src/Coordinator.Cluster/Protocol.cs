using Coordinator.Domain;

namespace Coordinator.Cluster;

/// <summary>The reply to every accepted command: the entity's version and status after it.</summary>
public sealed record CommandAccepted(long Version, string Status);

/// <summary>The reply to every refused command; nothing was recorded.</summary>
public sealed record CommandRefused(Refusal Refusal)
{
    public static CommandRefused Unavailable(string what) =>
        new(new Refusal(RefusalCode.Unavailable, $"{what} did not answer in time; the request may not have been recorded: retry it with the same ids (a repeat is applied once) or read the state"));
}

/// <summary>Keys under which the shard regions are kept in the actor registry.</summary>
public sealed class FacilityRegion;
public sealed class SectorRegion;
public sealed class TeamRegion;
public sealed class LiveView;
public sealed class TokenRegion;
public sealed class InquiryRegion;
public sealed class ReadLogRegion;

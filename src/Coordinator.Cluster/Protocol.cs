using Coordinator.Domain;
using Coordinator.Domain.Family;

namespace Coordinator.Cluster;

/// <summary>The reply to every accepted command: the entity's version and its status after it.</summary>
public sealed record CommandAccepted(long Version, EntityStatus Status);

/// <summary>
/// An entity's status after an accepted command, in that entity's own enum. A record per kind of entity, not a
/// string: the reply crosses nodes, and the HTTP layer reads a sector's status as the SectorStatus it is.
/// </summary>
public abstract record EntityStatus
{
    public sealed record Facility(FacilityStatus Status) : EntityStatus;
    public sealed record Sector(SectorStatus Status) : EntityStatus;
    public sealed record Team(TeamStatus Status) : EntityStatus;
    public sealed record Inquiry(InquiryStatus Status) : EntityStatus;
    public sealed record Tokens(TokenChange Change) : EntityStatus;

    /// <summary>A read of persons' records was logged.</summary>
    public sealed record ReadLogged : EntityStatus;
}

public enum FacilityStatus { Open, SignedOff }

/// <summary>What a command did to the token registry.</summary>
public enum TokenChange { Issued, Revoked, EnrolmentOpened, Unchanged }

/// <summary>The reply to every refused command; nothing was recorded.</summary>
public sealed record CommandRefused(Refusal Refusal)
{
    public static CommandRefused Unavailable(string what) =>
        new(new Refusal(RefusalCode.Unavailable,
            $"{what} did not answer in time; the request may not have been recorded: " +
            "retry it with the same ids (a repeat is applied once) or read the state"));
}

/// <summary>Keys under which the shard regions are kept in the actor registry.</summary>
public sealed class FacilityRegion;
public sealed class SectorRegion;
public sealed class TeamRegion;
public sealed class TokenRegion;
public sealed class InquiryRegion;
public sealed class ReadLogRegion;

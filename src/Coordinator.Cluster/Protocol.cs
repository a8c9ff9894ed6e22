using Coordinator.Cluster.Access;
using Coordinator.Cluster.Facilities;
using Coordinator.Cluster.Family;
using Coordinator.Cluster.Sectors;
using Coordinator.Cluster.Teams;
using Coordinator.Domain;
using Coordinator.Domain.Access;
using Coordinator.Domain.Facilities;
using Coordinator.Domain.Family;
using Coordinator.Domain.Sectors;
using Coordinator.Domain.Teams;

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

/// <summary>
/// A shard region that records <typeparamref name="TCommand"/> and answers <typeparamref name="TQuery"/>: the messages its
/// extractor routes. The HTTP layer sends through it by these types, so a command for another region does not compile.
/// </summary>
public interface IRegion<TCommand, TQuery>;

/// <summary>Keys under which the shard regions are kept in the actor registry.</summary>
public sealed class FacilityRegion : IRegion<IFacilityCommand, IFacilityMessage>;
public sealed class SectorRegion : IRegion<ISectorCommand, ISectorMessage>;
public sealed class TeamRegion : IRegion<ITeamCommand, ITeamMessage>;
public sealed class TokenRegion : IRegion<ITokenCommand, ITokenMessage>;
public sealed class InquiryRegion : IRegion<IInquiryCommand, IInquiryMessage>;
/// <summary>Records reads (<see cref="RecordRead"/>, one log per day) and answers no questions.</summary>
public sealed class ReadLogRegion;

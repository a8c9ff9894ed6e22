using Akka.Cluster.Sharding;
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

/// <summary>Routes by the ids inside the messages themselves: no envelopes to wrap or unwrap.</summary>
public sealed class FacilityMessageExtractor(int maxShards) : HashCodeMessageExtractor(maxShards)
{
    public override string? EntityId(object message) => message switch
    {
        IFacilityCommand c => c.Facility,
        IFacilityMessage m => m.Facility,
        _ => null,
    };
}

public sealed class SectorMessageExtractor(int maxShards) : HashCodeMessageExtractor(maxShards)
{
    public static string EntityIdOf(SectorRef s) => s.ToString();

    public override string? EntityId(object message) => message switch
    {
        ISectorCommand c => EntityIdOf(c.Sector),
        ISectorMessage m => EntityIdOf(m.Sector),
        _ => null,
    };
}

public sealed class TeamMessageExtractor(int maxShards) : HashCodeMessageExtractor(maxShards)
{
    public override string? EntityId(object message) => message switch
    {
        ITeamCommand c => c.Team,
        ITeamMessage m => m.Team,
        _ => null,
    };
}

/// <summary>All token commands go to the one registry.</summary>
public sealed class TokenMessageExtractor(int maxShards) : HashCodeMessageExtractor(maxShards)
{
    public override string? EntityId(object message) =>
        message is ITokenCommand or ITokenMessage ? TokenRegistryActor.EntityId : null;
}

public sealed class InquiryMessageExtractor(int maxShards) : HashCodeMessageExtractor(maxShards)
{
    public override string? EntityId(object message) => message switch
    {
        IInquiryCommand c => c.Inquiry,
        IInquiryMessage m => m.Inquiry,
        _ => null,
    };
}

/// <summary>One read log per day (UTC): reads are few, and a day is the unit an auditor asks for.</summary>
public sealed class ReadLogMessageExtractor(int maxShards) : HashCodeMessageExtractor(maxShards)
{
    public override string? EntityId(object message) => message is RecordRead r ? r.Day : null;
}

using Akka.Actor;
using Coordinator.Domain;
using Coordinator.Domain.Family;

namespace Coordinator.Cluster.Tests;

/// <summary>An acceptance crosses nodes (an entity answers a node's ask): its typed status reads back as it was sent.</summary>
public class ReplySerializationTests
{
    public static TheoryData<CommandAccepted> Replies() =>
    [
        new CommandAccepted(3, new EntityStatus.Sector(SectorStatus.ClearedWithDeceased)),
        new CommandAccepted(1, new EntityStatus.Sector(SectorStatus.Unsearched)),
        new CommandAccepted(2, new EntityStatus.Team(TeamStatus.OnSite)),
        new CommandAccepted(4, new EntityStatus.Facility(FacilityStatus.SignedOff)),
        new CommandAccepted(5, new EntityStatus.Inquiry(InquiryStatus.Closed)),
        new CommandAccepted(6, new EntityStatus.Tokens(TokenChange.Revoked)),
        new CommandAccepted(7, new EntityStatus.ReadLogged()),
    ];

    [Theory]
    [MemberData(nameof(Replies))]
    public void An_acceptance_reads_back_with_its_status(CommandAccepted accepted)
    {
        using var system = ActorSystem.Create("replies");
        var serializer = system.Serialization.FindSerializerFor(accepted);
        Assert.Equal(accepted, serializer.FromBinary(serializer.ToBinary(accepted), typeof(CommandAccepted)));
    }
}

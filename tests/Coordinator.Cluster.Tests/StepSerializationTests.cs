using Akka.Actor;
using Coordinator.Domain;
using Coordinator.Domain.Facilities;
using Coordinator.Domain.Sectors;
using Coordinator.Domain.Teams;

namespace Coordinator.Cluster.Tests;

/// <summary>
/// A step from one entity to another is the receiver's domain command, sent as it is: on a cluster it crosses
/// nodes, so it must read back whole with the serializer Akka picks for it (not the journal's event serializer).
/// </summary>
public class StepSerializationTests
{
    private static readonly SectorRef Cell = new("saydnaya", "B2-C-1");
    private static readonly Author Lead = Author.Lead("amal");

    public static TheoryData<object> Steps() =>
    [
        new AcceptTeam(Cell, "SAR-1", [Capability.Search, Capability.Breaching], Lead),
        new ReleaseTeam(Cell, "SAR-1", Lead),
        new SectorReported("SAR-1", Cell, true, SectorStatus.InProgress),
        new RecordSectorProgress(Cell.Facility, Cell.Sector, new SectorProgress(SectorStatus.Cleared, "SAR-1", 2, 1, 7)),
        new ConsentToSectorChange(Cell.Facility, Cell.Sector, 7, false,
            new SectorDefinition("B2-C-1-HS", Cell.Sector, SectorKind.HiddenSpace, "Void", [Capability.Breaching]), "void behind the wall", Lead),
    ];

    [Theory]
    [MemberData(nameof(Steps))]
    public void A_step_between_entities_reads_back_on_another_node(object step)
    {
        using var system = ActorSystem.Create("steps");
        var serializer = system.Serialization.FindSerializerFor(step);
        var manifest = Akka.Serialization.Serialization.ManifestFor(serializer, step);
        var read = system.Serialization.Deserialize(serializer.ToBinary(step), serializer.Identifier, manifest);
        Assert.IsType(step.GetType(), read);
        Assert.Equivalent(step, read, strict: true);
    }
}

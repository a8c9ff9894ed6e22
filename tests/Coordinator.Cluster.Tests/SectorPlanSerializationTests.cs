using System.Text;
using Akka.Actor;
using Coordinator.Cluster.Serialization;
using Coordinator.Domain;
using Coordinator.Domain.Facilities;

namespace Coordinator.Cluster.Tests;

/// <summary>A sector's place on the floor plan is stored with its definition; one stored without reads as none (GoldenJournalTests).</summary>
public class SectorPlanSerializationTests : IDisposable
{
    private readonly ActorSystem _system = ActorSystem.Create("plans");
    public void Dispose() => _system.Dispose();

    [Fact]
    public void A_definition_with_a_place_reads_back_with_it_and_one_without_is_written_without_a_plan_field()
    {
        var serializer = new EventSerializer((ExtendedActorSystem)_system);
        var at = new DateTimeOffset(2024, 12, 9, 6, 30, 0, TimeSpan.Zero);
        var placed = new SectorsDefined("saydnaya",
            [new("A-1", "A", SectorKind.Cell, "Cell 1", [], new SectorPlace(12.5, 3, 2.5, 3))], at, Author.Lead("amal"));
        var read = Assert.IsType<SectorsDefined>(serializer.FromBinary(serializer.ToBinary(placed), serializer.Manifest(placed)));
        Assert.Equal(new SectorPlace(12.5, 3, 2.5, 3), read.Sectors[0].Plan);

        var plain = placed with { Sectors = [placed.Sectors[0] with { Plan = null }] };
        Assert.DoesNotContain("Plan", Encoding.UTF8.GetString(serializer.ToBinary(plain)));
    }
}

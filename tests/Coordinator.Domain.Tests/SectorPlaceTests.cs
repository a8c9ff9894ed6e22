using Coordinator.Domain;
using Coordinator.Domain.Facilities;
using Coordinator.Domain.Views;
using static Coordinator.Domain.Tests.Scenario;

namespace Coordinator.Domain.Tests;

/// <summary>A sector's place on its level's floor plan: optional, a rectangle with a size, carried to the live view.</summary>
public class SectorPlaceTests
{
    private static Facility Registered() => Facility.Empty("saydnaya").Then(new RegisterFacility("saydnaya", "Saydnaya", [], null, Lead));

    private static SectorDefinition Cell(string id, SectorPlace? plan) => new(id, "B1", SectorKind.Cell, id, [], plan);

    [Theory]
    [InlineData(0, 0, 0, 3)]
    [InlineData(0, 0, 3, -1)]
    [InlineData(0, 0, double.NaN, 3)]
    [InlineData(double.PositiveInfinity, 0, 3, 3)]
    public void A_place_without_a_size_is_refused_naming_its_sector(double x, double y, double w, double h)
    {
        var refusal = Refused(Registered().Decide(new DefineSectors("saydnaya",
            [new("B1", null, SectorKind.Level, "B1", []), Cell("B1-C-1", new(1, 1, 2, 2)), Cell("B1-C-2", new(x, y, w, h))], Lead), Now));
        Assert.Equal(RefusalCode.InvalidField, refusal.Code);
        Assert.Contains("'B1-C-2'", refusal.Reason);
    }

    [Fact]
    public void A_place_is_part_of_the_definition_and_reaches_the_live_view()
    {
        var facility = Registered()
            .Then(new DefineSectors("saydnaya", [new("B1", null, SectorKind.Level, "B1", []), Cell("B1-C-1", new(-2, 0.5, 3, 2.5))], Lead));
        // The same sector again with another place is other content, not a repeat.
        Assert.Equal(RefusalCode.SectorConflict,
            Refused(facility.Decide(new DefineSectors("saydnaya", [Cell("B1-C-1", new(0, 0, 3, 2.5))], Lead), Now)).Code);
        Assert.Empty(Events(facility.Decide(new DefineSectors("saydnaya", [Cell("B1-C-1", new(-2, 0.5, 3, 2.5))], Lead), Now)));

        var board = new object[]
        {
            new FacilityRegistered("saydnaya", "Saydnaya", [], null, Now, Lead),
            new SectorsDefined("saydnaya",
                [new("B1", null, SectorKind.Level, "B1", []), Cell("B1-C-1", new(-2, 0.5, 3, 2.5)), Cell("B1-C-2", null)], Now, Lead),
        }.Select((e, i) => (e, (long)i + 1)).Aggregate(Board.Empty, (b, x) => b.Apply(x.e, x.Item2).Board);
        Assert.Equal(new SectorPlace(-2, 0.5, 3, 2.5), board.View("saydnaya", "B1-C-1")!.Plan);
        Assert.Null(board.View("saydnaya", "B1-C-2")!.Plan);
    }
}

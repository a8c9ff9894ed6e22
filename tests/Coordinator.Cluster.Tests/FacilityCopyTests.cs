using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Hosting;
using Coordinator.Cluster.Tests.Support;
using Coordinator.Domain;
using Coordinator.Domain.Sectors;
using static Coordinator.Cluster.Tests.Support.Operation;

namespace Coordinator.Cluster.Tests;

/// <summary>
/// A sector keeps one copy of its progress on the way to its facility at a time; what changes meanwhile goes with
/// the copy sent on the facility's acknowledgement.
/// </summary>
public class FacilityCopyTests(PostgresServer postgres)
{
    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task Reports_arriving_while_copies_are_on_their_way_reach_the_facility_without_waiting_for_a_redelivery(string provider)
    {
        var store = await Store.CreateAsync(provider, postgres);
        // No redelivery within the test: only the acknowledgements can carry the later changes to the facility.
        await using var node = await CoordinatorHost.StartAsync(store, CoordinatorHost.TestEntities with { RedeliverEvery = TimeSpan.FromHours(1) });
        var op = new Operation(node, "sednaya");
        // Twenty sectors reporting at once: the facility, recording one copy at a time, falls behind them.
        string[] cells = [.. Enumerable.Range(1, 20).Select(i => $"B1-{i}")];
        await op.Register([Def("B1", null, SectorKind.Level), .. cells.Select(c => Def(c, "B1"))]);
        foreach (var (cell, i) in cells.Select((c, i) => (c, i)))
        {
            await op.Team($"SAR-{i}", Capability.Search);
            Assert.IsType<CommandAccepted>(await op.Assign($"SAR-{i}", cell));
            Assert.IsType<CommandAccepted>(await op.Entered($"SAR-{i}", cell));
        }

        var replies = await Task.WhenAll(cells.SelectMany((cell, i) => Enumerable.Range(0, 10).Select(n =>
            op.Report(new ReportPersonsFound(op.Sector(cell), $"p-{n}", $"SAR-{i}", 1, 0, false, null, [], Author.Team($"SAR-{i}"))))));
        Assert.All(replies, r => Assert.IsType<CommandAccepted>(r));

        await op.Settled(cells);
        var facility = await op.FacilityState();
        foreach (var cell in cells)
            Assert.Equal((SectorStatus.InProgress, 10, (await op.SectorState(cell)).Version),
                (facility.ProgressOf(cell).Status, facility.ProgressOf(cell).Alive, facility.ProgressOf(cell).Version));
    }

    [Fact]
    public async Task A_sector_stopped_with_changes_not_yet_sent_sends_them_to_the_facility_before_it_stops()
    {
        var store = await Store.CreateAsync(Store.Sqlite, postgres);
        // No redelivery: only the copies sent as the sectors stop can carry their last changes.
        await using var node = await CoordinatorHost.StartAsync(store, CoordinatorHost.TestEntities with { RedeliverEvery = TimeSpan.FromHours(1) });
        var op = new Operation(node, "sednaya");
        string[] cells = [.. Enumerable.Range(1, 20).Select(i => $"B1-{i}")];
        await op.Register([Def("B1", null, SectorKind.Level), .. cells.Select(c => Def(c, "B1"))]);
        foreach (var (cell, i) in cells.Select((c, i) => (c, i)))
        {
            await op.Team($"SAR-{i}", Capability.Search);
            Assert.IsType<CommandAccepted>(await op.Assign($"SAR-{i}", cell));
            Assert.IsType<CommandAccepted>(await op.Entered($"SAR-{i}", cell));
        }
        var replies = await Task.WhenAll(cells.SelectMany((cell, i) => Enumerable.Range(0, 10).Select(n =>
            op.Report(new ReportPersonsFound(op.Sector(cell), $"p-{n}", $"SAR-{i}", 1, 0, false, null, [], Author.Team($"SAR-{i}"))))));
        Assert.All(replies, r => Assert.IsType<CommandAccepted>(r));

        // The sectors stop at once (as a lone node stops them first when it shuts down), while the facility, recording
        // one copy at a time, is still behind them; the facility stays.
        var sectors = ActorRegistry.For(node.System).Get<SectorRegion>();
        sectors.Tell(GracefulShutdown.Instance);
        await sectors.WatchAsync(TestContext.Current.CancellationToken);

        await Eventually.Until(async () =>
        {
            var facility = await op.FacilityState();
            return cells.All(c => facility.ProgressOf(c).Alive == 10);
        }, "the facility's copy of every stopped sector's last change");
    }
}

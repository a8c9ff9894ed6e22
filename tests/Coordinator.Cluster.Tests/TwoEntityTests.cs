using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Hosting;
using Coordinator.Cluster.Facilities;
using Coordinator.Cluster.Hosting;
using Coordinator.Cluster.Sectors;
using Coordinator.Cluster.Teams;
using Coordinator.Cluster.Tests.Support;
using Coordinator.Domain;
using Coordinator.Domain.Facilities;
using Coordinator.Domain.Sectors;
using Coordinator.Domain.Teams;
using static Coordinator.Cluster.Tests.Support.Operation;

namespace Coordinator.Cluster.Tests;

/// <summary>
/// An assignment writes twice: the team reserves itself, then the sector records the team. These tests stop the
/// whole actor system between the writes (the sector region is made unreachable, so the second step cannot
/// happen on its own) and start a new one on the same journal: the two must end up agreeing.
/// </summary>
public class TwoEntityTests(PostgresServer postgres)
{
    /// <summary>Registry key of a real sector region under another name, used to play the second step by hand.</summary>
    private sealed class DirectSectors;

    private static Action<AkkaConfigurationBuilder> CutOffFromSectors(PersistenceSettings store) => akka => akka
        .WithCoordinatorCluster(new ClusterSettings())
        .WithCoordinatorPersistence(store)
        .WithCoordinatorSerialization()
        .WithFacilities(CoordinatorHost.TestEntities)
        .WithTeams(CoordinatorHost.TestEntities)
        // No node has this role, so the team's request to the sector waits in the proxy and is lost with the system.
        .WithShardRegionProxy<SectorRegion>("sector", "no-node-has-this-role", new SectorMessageExtractor(CoordinatorHost.TestEntities.MaxShards))
        .WithShardRegion<DirectSectors>("sector-direct",
            (_, registry, _) => id =>
                Props.Create(() => new SectorActor(new SectorRef(id.Split('/')[0], id.Split('/')[1]), CoordinatorHost.TestEntities, registry,
                    CoordinatorHost.TestPrints)),
            new SectorMessageExtractor(CoordinatorHost.TestEntities.MaxShards), new ShardOptions());

    [Theory]
    [InlineData(Store.Sqlite, false)]
    [InlineData(Store.Sqlite, true)]
    [InlineData(Store.Postgres, false)]
    [InlineData(Store.Postgres, true)]
    public async Task A_crash_between_the_team_and_the_sector_writes_ends_with_both_agreeing(string provider, bool sectorWroteToo)
    {
        var store = await Store.CreateAsync(provider, postgres);
        var cell = new SectorRef("mezzeh", "B1-7");
        await using (var node = await CoordinatorHost.StartAsync(CutOffFromSectors(store)))
        {
            var op = new Operation(node, cell.Facility);
            await op.Register(Def("B1", null, SectorKind.Level), Def(cell.Sector, "B1"));
            await op.Team("SAR-1", Capability.Search);

            node.Registry.Get<TeamRegion>().Tell(new AssignTeam("SAR-1", cell, Lead));
            await Eventually.Until(async () => (await op.TeamState("SAR-1")).Pending is not null, "the team to record its step");
            if (sectorWroteToo)
                Assert.IsType<CommandAccepted>(await node.Ask<DirectSectors>(new AcceptTeam(cell, "SAR-1", [Capability.Search], Lead)));

            // The invariant holds at the moment of the crash: a sector names a team only if the team holds that sector.
            var team = await op.TeamState("SAR-1");
            Assert.Equal(cell, team.Holds);
            Assert.Null(team.Assignment);
        } // the actor system stops here, between the two steps

        await using (var node = await CoordinatorHost.StartAsync(store))
        {
            var op = new Operation(node, cell.Facility);
            await Eventually.Until(async () =>
                (await op.TeamState("SAR-1")).Status == TeamStatus.Assigned, "the team to finish its step after the restart");
            var team = await op.TeamState("SAR-1");
            var sector = await op.SectorState(cell.Sector);
            Assert.Equal((cell, (PendingChange?)null), (team.Assignment, team.Pending));
            Assert.Equal((SectorStatus.Assigned, "SAR-1"), (sector.Status, sector.Team));

            // And the agreement is real: the team can work the sector and is freed when it is cleared.
            Assert.IsType<CommandAccepted>(await op.Entered("SAR-1", cell.Sector));
            Assert.IsType<CommandAccepted>(await op.Cleared("SAR-1", cell.Sector));
            await Eventually.Until(async () => (await op.TeamState("SAR-1")).Status == TeamStatus.Available, "the team to be released");
        }
    }

    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task Two_teams_racing_for_one_sector_and_one_team_racing_for_two_sectors_never_double_book(string provider)
    {
        var store = await Store.CreateAsync(provider, postgres);
        await using var node = await CoordinatorHost.StartAsync(store);
        var op = new Operation(node, "adra");
        var cells = Enumerable.Range(1, 6).Select(i => $"G-{i}").ToArray();
        await op.Register([Def("G", null, SectorKind.Level), .. cells.Select(c => Def(c, "G"))]);
        var teams = Enumerable.Range(1, 6).Select(i => $"T-{i}").ToArray();
        foreach (var t in teams) await op.Team(t, Capability.Search);

        // Every team asks for every cell at once.
        var attempts = teams.SelectMany(t => cells.Select(c => (t, c))).Select(async x => (x.t, x.c, reply: await op.Assign(x.t, x.c))).ToList();
        var results = await Task.WhenAll(attempts);

        var accepted = results.Where(r => r.reply is CommandAccepted).ToList();
        Assert.All(results.Where(r => r.reply is CommandRefused), r =>
            Assert.Contains(((CommandRefused)r.reply).Refusal.Code, new[] { RefusalCode.TeamBusy, RefusalCode.SectorNotAssignable }));
        Assert.Equal(accepted.Count, accepted.Select(a => a.t).Distinct().Count());
        Assert.Equal(accepted.Count, accepted.Select(a => a.c).Distinct().Count());
        foreach (var (t, c, _) in accepted)
        {
            Assert.Equal(t, (await op.SectorState(c)).Team);
            Assert.Equal(op.Sector(c), (await op.TeamState(t)).Assignment);
        }
        foreach (var c in cells)
            if ((await op.SectorState(c)).Team is { } named)
                Assert.Contains(accepted, a => a.t == named && a.c == c);
    }
}

using System.Text.Json;
using Coordinator.Cluster.Serialization;
using Coordinator.Cluster.Tests.Support;
using Coordinator.Domain;
using Coordinator.Domain.Sectors;
using Coordinator.Domain.Teams;
using static Coordinator.Cluster.Tests.Support.Operation;

namespace Coordinator.Cluster.Tests;

public class RestartTests(PostgresServer postgres)
{
    private static readonly string[] Sectors = ["B2", "B2-C", "B2-C-1", "B2-C-2", "B2-C-3", "B3-X"];

    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task State_after_a_full_restart_equals_state_before(string provider)
    {
        var store = await Store.CreateAsync(provider, postgres);
        string before;
        await using (var node = await CoordinatorHost.StartAsync(store))
        {
            var op = new Operation(node, "saydnaya");
            await op.Register(Def("B2-C-1", "B2-C"), Def("B2-C-2", "B2-C", SectorKind.Cell, Capability.DoorOpening), Def("B2-C-3", "B2-C"),
                Def("B2-C", "B2", SectorKind.Corridor), Def("B2", null, SectorKind.Level));
            await op.Team("SAR-1", Capability.Search);
            await op.Team("DOOR-1", Capability.DoorOpening, Capability.Search);
            await op.Team("K9-1", Capability.K9, Capability.Search);

            await op.Search("SAR-1", "B2-C-1");
            var refused = Assert.IsType<CommandRefused>(await op.Assign("K9-1", "B2-C-2"));
            Assert.Equal(RefusalCode.TeamLacksCapability, refused.Refusal.Code);
            Assert.IsType<CommandAccepted>(await op.Assign("DOOR-1", "B2-C-2"));
            Assert.IsType<CommandAccepted>(await op.Entered("DOOR-1", "B2-C-2"));
            Assert.IsType<CommandAccepted>(await op.Report(new ReportPersonsFound(op.Sector("B2-C-2"), "p-1", "DOOR-1", 2, 1, true,
                "Ahmad (34, Homs)", [], Author.Team("DOOR-1"))));
            Assert.IsType<CommandAccepted>(await op.Assign("K9-1", "B2-C-3"));
            Assert.IsType<CommandAccepted>(await op.Report(new ReportHiddenSpaceFound(op.Sector("B2-C-1"), "hs-1", "K9-1", "B3-X",
                "void under cell 1", [Capability.Breaching], "K9 alert", Author.Team("K9-1"))));

            await op.Settled(Sectors);
            await Eventually.Until(async () => (await op.TeamState("SAR-1")).Status == TeamStatus.Available, "SAR-1 to be free again");
            before = await Snapshot(op);
            Assert.Contains("\"B3-X\"", before);
        }

        await using (var node = await CoordinatorHost.StartAsync(store))
        {
            var after = await Snapshot(new Operation(node, "saydnaya"));
            Assert.Equal(before, after);
        }
    }

    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task A_repeated_report_is_applied_once_also_after_a_restart(string provider)
    {
        var store = await Store.CreateAsync(provider, postgres);
        var report = new ReportPersonsFound(new("tadamon", "G-1"), "radio-0042", "SAR-1", 1, 0, true, "boy, about 12", [], Author.Team("SAR-1"));
        CommandAccepted first;
        await using (var node = await CoordinatorHost.StartAsync(store))
        {
            var op = new Operation(node, "tadamon");
            await op.Register(Def("G", null, SectorKind.Level), Def("G-1", "G"));
            await op.Team("SAR-1", Capability.Search);
            Assert.IsType<CommandAccepted>(await op.Assign("SAR-1", "G-1"));
            Assert.IsType<CommandAccepted>(await op.Entered("SAR-1", "G-1"));
            first = Assert.IsType<CommandAccepted>(await op.Report(report));
            Assert.Equal(first, Assert.IsType<CommandAccepted>(await op.Report(report)));
            Assert.Equal((1, first.Version), ((await op.SectorState("G-1")).Alive, (await op.SectorState("G-1")).Version));
        }
        await using (var node = await CoordinatorHost.StartAsync(store))
        {
            var op = new Operation(node, "tadamon");
            Assert.Equal(first, Assert.IsType<CommandAccepted>(await op.Report(report)));
            var sector = await op.SectorState("G-1");
            Assert.Equal((1, first.Version), (sector.Alive, sector.Version));
            var reused = Assert.IsType<CommandRefused>(await op.Report(report with { Alive = 3 }));
            Assert.Equal(RefusalCode.ReportIdReused, reused.Refusal.Code);
            Assert.Equal(first.Version, (await op.SectorState("G-1")).Version);
        }
    }

    /// <summary>Every entity's state as stored JSON: equal text means equal state.</summary>
    private static async Task<string> Snapshot(Operation op)
    {
        var parts = new List<object> { await op.FacilityState() };
        foreach (var s in Sectors) parts.Add(await op.SectorState(s));
        foreach (var t in new[] { "SAR-1", "DOOR-1", "K9-1" }) parts.Add(await op.TeamState(t));
        return string.Join("\n", parts.Select(p => JsonSerializer.Serialize(p, p.GetType(), EventSerializer.Options)));
    }
}

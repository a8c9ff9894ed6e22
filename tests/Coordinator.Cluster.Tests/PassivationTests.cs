using System.Text.Json;
using Akka.Actor;
using Coordinator.Cluster.Sectors;
using Coordinator.Cluster.Serialization;
using Coordinator.Cluster.Tests.Support;
using Coordinator.Domain;
using Coordinator.Domain.Sectors;
using static Coordinator.Cluster.Tests.Support.Operation;

namespace Coordinator.Cluster.Tests;

public class PassivationTests(PostgresServer postgres)
{
    [Theory]
    [InlineData(Store.Sqlite)]
    [InlineData(Store.Postgres)]
    public async Task An_idle_sector_is_passivated_and_comes_back_from_the_journal_unchanged(string provider)
    {
        var store = await Store.CreateAsync(provider, postgres);
        await using var node = await CoordinatorHost.StartAsync(store,
            CoordinatorHost.TestEntities with { PassivateIdleAfter = TimeSpan.FromSeconds(3) });
        var op = new Operation(node, "mezzeh");
        await op.Register(Def("B1", null, SectorKind.Level), Def("B1-1", "B1"));
        await op.Team("SAR-1", Capability.Search);
        Assert.IsType<CommandAccepted>(await op.Assign("SAR-1", "B1-1"));
        Assert.IsType<CommandAccepted>(await op.Entered("SAR-1", "B1-1"));
        Assert.IsType<CommandAccepted>(await op.Report(new ReportPersonsFound(op.Sector("B1-1"), "p-1", "SAR-1", 1, 0, false,
            null, [], Author.Team("SAR-1"))));
        var before = JsonSerializer.Serialize(await op.SectorState("B1-1"), EventSerializer.Options);

        var message = new GetSector(op.Sector("B1-1"));
        var path = $"/system/sharding/sector/{new SectorMessageExtractor(CoordinatorHost.TestEntities.MaxShards).ShardId(
            SectorMessageExtractor.EntityIdOf(message.Sector), message)}/{Uri.EscapeDataString(SectorMessageExtractor.EntityIdOf(message.Sector))}";
        async Task<bool> Running() =>
            (await node.System.ActorSelection(path).Ask<ActorIdentity>(new Identify(path), TimeSpan.FromSeconds(3))).Subject is not null;
        Assert.True(await Running());
        await Eventually.Until(async () => !await Running(), "the idle sector to be passivated");

        Assert.Equal(before, JsonSerializer.Serialize(await op.SectorState("B1-1"), EventSerializer.Options));
        Assert.True(await Running());
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.Persistence.Query;
using Coordinator.Cluster.Access;
using Coordinator.Cluster.Facilities;
using Coordinator.Cluster.Hosting;
using Coordinator.Cluster.Serialization;
using Coordinator.Cluster.Tests.Support;
using Coordinator.Cluster.Views;
using Coordinator.Domain;
using Coordinator.Domain.Access;
using Coordinator.Domain.Family;
using Coordinator.Domain.Sectors;
using Coordinator.Domain.Views;
using static Coordinator.Cluster.Tests.Support.Operation;

namespace Coordinator.Cluster.Tests;

public class LiveViewTests(PostgresServer postgres)
{
    [Theory]
    [InlineData(Store.Sqlite, 11)]
    [InlineData(Store.Postgres, 23)]
    public async Task Each_projection_equals_a_fresh_replay_of_the_journal_after_random_commands_and_after_a_restart(string provider, int seed)
    {
        // Checkpoints often, so the restarted node starts its projections from them.
        var store = await Store.CreateAsync(provider, postgres) with { CheckpointEvery = 20, CheckpointInterval = TimeSpan.FromMilliseconds(500) };
        string[] before;
        await using (var node = await CoordinatorHost.StartAsync(store))
        {
            await RandomOperation(new Operation(node, "qaboun"), new Random(seed), steps: 150);
            before = await ConvergedProjections(node);
            Assert.Contains("\"qaboun\"", before[1]);
            Assert.Contains("\"inq-0\"", before[2]); // the family desk folds the inquiries…
            Assert.DoesNotContain("\"inq-0\"", before[1]); // …and the operations projection holds no personal data
            Assert.DoesNotContain("Homs", before[1]);
            Assert.Contains("\"tk-1\"", before[0]); // a revocation
            await UntilCheckpointedAtHead(node, store);
        }
        await using (var node = await CoordinatorHost.StartAsync(store))
        {
            // Current only once it has read the journal: the node accepts tokens from then on.
            var published = Published<Board>.For(node.System);
            await Eventually.Until(() => Published<AccessView>.For(node.System).IsCurrent && published.IsCurrent
                && Published<FamilyDesk>.For(node.System).IsCurrent, "the restarted projections to have read the journal");
            var head = (await new JournalReader(node.System).AllEvents(TestContext.Current.CancellationToken)).Max(e => ((Sequence)e.Offset).Value);
            Assert.Equal(head, published.Current.Offset);
            Assert.Equal(before, await ConvergedProjections(node));
        }
    }

    /// <summary>The operations and family projections have stored their state as of the journal's head.</summary>
    internal static async Task UntilCheckpointedAtHead(CoordinatorHost node, PersistenceSettings settings)
    {
        var checkpoints = new CheckpointStore(CoordinatorHosting.Resolve(settings).ConnectionString, settings.Provider);
        var head = (await new JournalReader(node.System).AllEvents()).Max(e => ((Sequence)e.Offset).Value);
        await Eventually.Until(() => new[] { OperationsProjection.Instance.Name, FamilyProjection.Instance.Name }
            .All(p => checkpoints.Load(p)?.Position >= head), "checkpoints at the journal's head");
    }

    private static async Task<string[]> ConvergedProjections(CoordinatorHost node) =>
    [
        await Converged(node, AccessProjection.Instance, JournalFeed.Of(TokenRegistryActor.JournalId)),
        await Converged(node, OperationsProjection.Instance, JournalFeed.All),
        await Converged(node, FamilyProjection.Instance, JournalFeed.All),
    ];

    /// <summary>
    /// Waits until the published projection has folded exactly what its part of the journal holds, checks it equals a
    /// fresh replay, and returns it. The journal is read again when the projection has moved past it: events may still
    /// be landing (the family desk's matches follow the reports that cause them).
    /// </summary>
    private static async Task<string> Converged<TState>(CoordinatorHost node, Projection<TState> projection, JournalFeed feed) where TState : class
    {
        var journal = new JournalReader(node.System);
        var published = Published<TState>.For(node.System);
        TState replayed = projection.Empty, live = projection.Empty;
        await Eventually.Until(async () =>
        {
            var events = feed == JournalFeed.All ? await journal.AllEvents() : await journal.EventsOf(TokenRegistryActor.JournalId);
            replayed = projection.Replay(events.Select(e => (e.Event, feed.Position(e))));
            live = published.Current;
            return published.Position == events.Select(feed.Position).DefaultIfEmpty(0).Max();
        }, $"the {projection.Name} projection to reach the journal's head");
        Assert.Equal(Canonical(replayed), Canonical(live));
        return Canonical(live);
    }

    internal static string Canonical(object state) => Sort(JsonSerializer.SerializeToNode(state, EventSerializer.Options)!).ToJsonString();

    private static JsonNode Sort(JsonNode node) => node switch
    {
        JsonObject o =>
            new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => KeyValuePair.Create(p.Key, p.Value is null ? null : Sort(p.Value.DeepClone())))),
        JsonArray a => new JsonArray([.. a.Select(x => x is null ? null : Sort(x.DeepClone()))]),
        _ => node.DeepClone(),
    };

    private static readonly string[] Wanted = ["محمد أحمد الحلبي", "Mohamed Halabi", "Youssef Haddad", "زينب حسن"];

    /// <summary>Leads and field units acting at random, many of the actions refused: the view must follow what was accepted.</summary>
    internal static async Task RandomOperation(Operation op, Random random, int steps)
    {
        var cells = Enumerable.Range(1, 10).Select(i => $"B1-{i}").ToArray();
        await op.Register([Def("B1", null, SectorKind.Level),
            .. cells.Select((c, i) => Def(c, "B1", SectorKind.Cell, i % 4 == 0 ? [Capability.DoorOpening] : []))]);
        string[] teams = ["SAR-1", "SAR-2", "K9-1", "DOOR-1"];
        await op.Team("SAR-1", Capability.Search);
        await op.Team("SAR-2", Capability.Search);
        await op.Team("K9-1", Capability.K9, Capability.Search);
        await op.Team("DOOR-1", Capability.DoorOpening, Capability.Search);
        var hidden = 0;
        for (var k = 0; k < Wanted.Length; k++)
            await op.Node.Ask<InquiryRegion>(new RegisterInquiry($"inq-{k}",
                new InquiryDetails(Wanted[k], [], null, null, 1980, "Homs", null, null), Lead));
        for (var t = 0; t < 3; t++)
            await op.Node.Ask<TokenRegion>(new IssueToken($"tk-{t}", t == 0 ? Role.Admin : Role.Field, t == 0 ? null : "SAR-1",
                DateTimeOffset.UtcNow.AddDays(1), Lead));
        await op.Node.Ask<TokenRegion>(new RevokeToken("tk-1", Lead));
        for (var i = 0; i < steps; i++)
        {
            var team = teams[random.Next(teams.Length)];
            var cell = op.Sector(cells[random.Next(cells.Length)]);
            var by = Author.Team(team);
            var id = $"r-{i}";
            object _ = random.Next(11) switch
            {
                0 or 1 => await op.Assign(team, cell.Sector),
                2 or 3 => await op.Report(new ReportEntered(cell, id, team, by)),
                4 => await op.Report(new ReportCleared(cell, id, team, SearchMethod.Visual, by)),
                5 => await op.Report(new ReportPersonsFound(cell, id, team, 1 + random.Next(3), random.Next(2), random.Next(2) == 0, null,
                    [new PersonDetails(Wanted[random.Next(Wanted.Length)], [], null, null, null, 20 + random.Next(40), "Homs", null, null)], by)),
                6 => await op.Report(new ReportBlocked(cell, id, team, [Capability.Breaching], "wall", by)),
                7 => await op.Report(new ReportHazard(cell, id, team, "smoke", by)),
                8 => await op.Report(new ReopenSector(cell, "new evidence", Lead)),
                9 => await op.Report(new ReportHiddenSpaceFound(cell, id, team, $"HS-{hidden++}", null, [], null, by)),
                _ => await op.Node.Ask<TeamRegion>(new Domain.Teams.RecallTeam(team, Lead)),
            };
        }
        await op.Node.Ask<InquiryRegion>(new CloseInquiry("inq-0", null, "closed by the family", Lead));
        await op.Node.Ask<FacilityRegion>(new Domain.Facilities.SignOffFacility(op.Facility, Lead));
    }
}

using Akka.Actor;
using Akka.Persistence.Query;
using Coordinator.Cluster.Hosting;
using Coordinator.Cluster.Tests.Support;
using Coordinator.Cluster.Views;
using Coordinator.Domain.Family;
using Coordinator.Domain.Views;

namespace Coordinator.Cluster.Tests;

/// <summary>
/// The node reads the whole journal once for its projections (<see cref="JournalFollower"/>): whoever follows from
/// where it stands gets every event after that, once and in order; one behind what the follower keeps is told so.
/// The projections themselves are checked against fresh replays in <see cref="LiveViewTests"/>.
/// </summary>
public class JournalFollowerTests
{
    [Fact]
    public async Task A_follower_from_the_projections_position_gets_every_later_event_in_order_and_one_from_further_back_is_told_to_catch_up()
    {
        var settings = new PersistenceSettings
        {
            Provider = PersistenceProvider.Sqlite,
            ConnectionString = $"Data Source={Path.Combine(Directory.CreateTempSubdirectory("coord-follower-").FullName, "coordinator.db")}",
        };
        await using (var node = await CoordinatorHost.StartAsync(settings))
            await LiveViewTests.RandomOperation(new Operation(node, "qaboun"), new Random(3), steps: 30);

        await using var restarted = await CoordinatorHost.StartAsync(settings);
        var (board, desk) = (Published<Board>.For(restarted.System), Published<FamilyDesk>.For(restarted.System));
        await Eventually.Until(() => board.IsCurrent && desk.IsCurrent, "the restarted projections to have read the journal");
        var head = board.Position;
        Assert.True(head > 0);

        var follower = restarted.Registry.Get<JournalFollower>();
        var inbox = Inbox.Create(restarted.System);
        var turn = Guid.NewGuid();
        // The follower began where the projections stood: the journal before that is theirs to read.
        inbox.Send(follower, new JournalFollower.Follow(0, turn));
        Assert.Equal(0, Assert.IsType<JournalFollower.TooFarBehind>(await inbox.ReceiveAsync(TimeSpan.FromSeconds(10))).After);

        inbox.Send(follower, new JournalFollower.Follow(head, turn));
        await LiveViewTests.RandomOperation(new Operation(restarted, "sednaya"), new Random(4), steps: 30);
        var written = (await new JournalReader(restarted.System).AllEvents(TestContext.Current.CancellationToken))
            .Select(e => ((Sequence)e.Offset).Value).Where(p => p > head).ToList();
        Assert.NotEmpty(written);
        var received = new List<long>();
        while (received.Count < written.Count)
        {
            var e = Assert.IsType<JournalFollower.Event>(await inbox.ReceiveAsync(TimeSpan.FromSeconds(10)));
            Assert.Equal(turn, e.Turn);
            received.Add(((Sequence)e.Envelope.Offset).Value);
        }
        Assert.Equal(written, received);
    }
}

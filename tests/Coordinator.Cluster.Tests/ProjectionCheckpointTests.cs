using System.Collections.Immutable;
using Akka.Persistence.Query;
using Coordinator.Cluster.Hosting;
using Coordinator.Cluster.Serialization;
using Coordinator.Cluster.Tests.Support;
using Coordinator.Cluster.Views;
using Coordinator.Domain;
using Coordinator.Domain.Family;
using Coordinator.Domain.Views;
using Microsoft.Data.Sqlite;

namespace Coordinator.Cluster.Tests;

/// <summary>
/// Projections start from their checkpoints, and only from checkpoints they can trust: one written by a version of
/// another shape, taken at an event the journal does not hold there, or unreadable, is rebuilt from the journal.
/// </summary>
public class ProjectionCheckpointTests
{
    private static readonly PersistenceSettings Settings = new()
    {
        Provider = PersistenceProvider.Sqlite,
        ConnectionString = $"Data Source={Path.Combine(Directory.CreateTempSubdirectory("coord-checkpoints-").FullName, "coordinator.db")}",
        CheckpointEvery = 20,
        CheckpointInterval = TimeSpan.FromMilliseconds(500),
    };

    private const string Marker = "only-in-the-checkpoint";

    [Fact]
    public async Task A_checkpoint_is_used_when_it_can_be_trusted_and_rebuilt_from_the_journal_when_not()
    {
        await using (var node = await CoordinatorHost.StartAsync(Settings))
        {
            await LiveViewTests.RandomOperation(new Operation(node, "qaboun"), new Random(5), steps: 60);
            await LiveViewTests.UntilCheckpointedAtHead(node, Settings);
        }

        // A checkpoint that matches the journal is trusted as it is: the marker put into it shows on the restarted node.
        var stored = Checkpoints.Load(OperationsProjection.Instance.Name)!;
        var marked = CheckpointCodec.Encode(WithMarker(CheckpointCodec.Decode<Board>(stored.State, null, null)), null, null);
        Rewrite("state = @v", marked);
        Assert.Contains(Marker, (await Restarted()).Facilities.Keys);

        // Each of these makes it untrusted: the restarted node folds the journal instead, and its board has no marker.
        Rewrite("shape = @v", "0123456789ABCDEF");
        Assert.DoesNotContain(Marker, (await Restarted()).Facilities.Keys);
        Rewrite("state = @v", marked); // the rebuilt projection stored a checkpoint of its own: mark that one
        Rewrite("last_event = @v", "sector-elsewhere#1");
        Assert.DoesNotContain(Marker, (await Restarted()).Facilities.Keys);
        Rewrite("state = @v", "not a checkpoint at all"u8.ToArray());
        Assert.DoesNotContain(Marker, (await Restarted()).Facilities.Keys);
    }

    [Fact]
    public async Task The_family_desk_checkpoint_is_sealed_and_an_erasure_replaces_it_and_retires_its_key()
    {
        var settings = Settings with
        {
            ConnectionString = $"Data Source={Path.Combine(Directory.CreateTempSubdirectory("coord-checkpoints-").FullName, "coordinator.db")}",
        };
        var checkpoints = new CheckpointStore(CoordinatorHosting.Resolve(settings).ConnectionString, settings.Provider);
        await using var node = await CoordinatorHost.StartAsync(settings);
        var op = new Operation(node, "sednaya");
        await LiveViewTests.RandomOperation(op, new Random(8), steps: 40);
        await LiveViewTests.UntilCheckpointedAtHead(node, settings);
        var family = FamilyProjection.Instance.Name;
        var before = checkpoints.Load(family)!;
        var keys = PersonalDataKeys.Of(node.System)!;
        Assert.NotNull(before.KeyRecord);
        Assert.NotNull(keys.KeyOf(before.KeyRecord!));
        // Without its key the bytes are not even a compressed stream.
        Assert.ThrowsAny<Exception>(() => CheckpointCodec.Decode<FamilyDesk>(before.State, null, null));
        var desk = CheckpointCodec.Decode<FamilyDesk>(before.State, keys.KeyOf(before.KeyRecord!), before.KeyRecord);
        Assert.Equal("Youssef Haddad", desk.Inquiries["inq-2"].Details!.Name);

        Assert.IsType<CommandAccepted>(await node.Ask<InquiryRegion>(new EraseInquiry("inq-2", "asked by the family", Operation.Lead)));
        await Eventually.Until(() => checkpoints.Load(family) is { } after && after.Position > before.Position
            && CheckpointCodec.Decode<FamilyDesk>(after.State, keys.KeyOf(after.KeyRecord!), after.KeyRecord).Inquiries["inq-2"].Details!.IsErased,
            "a checkpoint written after the erasure");
        Assert.Null(keys.KeyOf(before.KeyRecord!)); // the old checkpoint's bytes can no longer be opened
        Assert.DoesNotContain(before.KeyRecord!, File.ReadAllLines(settings.ErasureLedgerPath()!)); // a retired key, not an erasure
    }

    private static CheckpointStore Checkpoints => new(CoordinatorHosting.Resolve(Settings).ConnectionString, Settings.Provider);

    private static Board WithMarker(Board board) => board with
    {
        Facilities = board.Facilities.SetItem(Marker, board.Facilities.Values.First() with { Id = Marker }),
    };

    /// <summary>Restarts the node on the same journal; its operations projection once current, checked against a full replay.</summary>
    private static async Task<Board> Restarted()
    {
        await using var node = await CoordinatorHost.StartAsync(Settings);
        var published = Published<Board>.For(node.System);
        await Eventually.Until(() => published.IsCurrent, "the operations projection to be current");
        var replayed = OperationsProjection.Instance.Replay((await new JournalReader(node.System).AllEvents())
            .Select(e => (e.Event, ((Sequence)e.Offset).Value)));
        var board = published.Current;
        if (!board.Facilities.ContainsKey(Marker)) Assert.Equal(LiveViewTests.Canonical(replayed), LiveViewTests.Canonical(board));
        await LiveViewTests.UntilCheckpointedAtHead(node, Settings);
        return board;
    }

    private static void Rewrite(string assignment, object value)
    {
        var file = SqliteKeyFile.PathBeside(new SqliteConnectionStringBuilder(Settings.ConnectionString).DataSource, CheckpointStore.SqliteSuffix);
        using var connection = new SqliteConnection($"Data Source={file}");
        connection.Open();
        using var update = connection.CreateCommand();
        update.CommandText = $"UPDATE {CheckpointStore.Table} SET {assignment} WHERE projection = 'operations'";
        update.Parameters.AddWithValue("@v", value);
        Assert.Equal(1, update.ExecuteNonQuery());
    }
}

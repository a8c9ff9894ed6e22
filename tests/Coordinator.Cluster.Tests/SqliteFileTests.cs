using Akka.Persistence.Sql.Config;
using Coordinator.Cluster.Hosting;
using Coordinator.Cluster.Teams;
using Coordinator.Cluster.Tests.Support;
using Coordinator.Domain;
using Coordinator.Domain.Teams;
using Coordinator.Testing;
using LinqToDB.Data;
using Microsoft.Data.Sqlite;

namespace Coordinator.Cluster.Tests;

/// <summary>How the node prepares its SQLite journal file, on a real file.</summary>
public class SqliteFileTests
{
    [Fact]
    public void The_journal_file_is_created_in_write_ahead_mode()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"coord-sqlite-{Guid.NewGuid():N}", "data");
        try
        {
            var connectionString = SqlitePersistence.Prepare($"Data Source={Path.Combine(folder, "journal.db")}");
            using var connection = new SqliteConnection(connectionString);
            connection.Open();
            using var mode = connection.CreateCommand();
            mode.CommandText = "PRAGMA journal_mode;";
            Assert.Equal("wal", (string)mode.ExecuteScalar()!);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(Path.GetDirectoryName(folder)!, recursive: true);
        }
    }

    [Fact]
    public void A_shared_cache_is_refused_with_its_reason_and_nothing_is_created()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"coord-sqlite-{Guid.NewGuid():N}");
        var refused = Assert.Throws<InvalidOperationException>(() =>
            SqlitePersistence.Prepare($"Data Source={Path.Combine(folder, "journal.db")};Cache=Shared"));
        Assert.Contains("Cache=Shared is not supported", refused.Message);
        Assert.Contains("uncommitted", refused.Message);
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public async Task Every_journal_connection_waits_for_the_other_writer_in_SQLite_itself()
    {
        var store = await Store.CreateAsync(Store.Sqlite, postgres: null!);
        await using var node = await CoordinatorHost.StartAsync(store);
        var setup = node.System.Settings.Setup.Get<MultiDataOptionsSetup>();
        Assert.True(setup.HasValue, "the node gives the SQL plugins their connection options");
        foreach (var pluginId in SqlitePersistence.PluginIds)
        {
            // The plugins look their options up under the plugin-id of their settings.
            Assert.Equal(pluginId, node.System.Settings.Config.GetString($"{pluginId}.plugin-id"));
            Assert.True(setup.Value.TryGetDataOptionsFor(pluginId, out var options), pluginId);
            using var connection = new DataConnection(options!);
            Assert.Equal(30_000, connection.Execute<int>("PRAGMA busy_timeout;"));
        }
    }

    [Fact]
    public async Task Writes_that_wait_for_the_journal_are_committed_together()
    {
        var store = await Store.CreateAsync(Store.Sqlite, postgres: null!);
        await using var node = await CoordinatorHost.StartAsync(store);
        var teams = Enumerable.Range(0, 200).Select(i => $"T-{i}").ToList();
        // Every team's entity started (recovered, nothing written) so that the writes below reach the journal together.
        await Task.WhenAll(teams.Select(t => node.Ask<TeamRegion, TeamSnapshot>(new GetTeam(t))));
        using var commits = new SqliteCommits(new SqliteConnectionStringBuilder(store.ConnectionString).DataSource);

        var replies = await Task.WhenAll(teams.Select(t => new Operation(node, "f").Team(t, Capability.Search)));

        Assert.All(replies, r => Assert.IsType<CommandAccepted>(r));
        // One transaction per event would be 200 flushes to disk; batched, a handful.
        Assert.InRange(commits.Count, 1, teams.Count / 4);
    }
}

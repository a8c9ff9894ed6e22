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

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void The_journal_and_its_write_ahead_files_are_created_the_owners_alone()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix file modes");
        var folder = Path.Combine(Path.GetTempPath(), $"coord-sqlite-{Guid.NewGuid():N}", "data");
        var file = Path.Combine(folder, "coordinator.db");
        try
        {
            WriteThrough(SqlitePersistence.Prepare($"Data Source={file}"));
            Assert.Equal(OwnerOnly | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));
            Assert.All([file, file + "-wal", file + "-shm"], f => Assert.Equal(OwnerOnly, File.GetUnixFileMode(f)));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(Path.GetDirectoryName(folder)!, recursive: true);
        }
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void Journal_files_left_readable_by_others_are_tightened_at_start()
    {
        Assert.SkipWhen(OperatingSystem.IsWindows(), "Unix file modes");
        var folder = Directory.CreateTempSubdirectory("coord-sqlite-").FullName;
        var file = Path.Combine(folder, "coordinator.db");
        const UnixFileMode wide = OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead; // 0644, as SQLite makes them
        try
        {
            WriteThrough($"Data Source={file}");
            string[] files = [file, file + "-wal", file + "-shm", file + ".simulated"];
            File.WriteAllText(file + ".simulated", "marker");
            foreach (var f in files) File.SetUnixFileMode(f, wide);
            var other = Path.Combine(folder, "unrelated.txt");
            File.WriteAllText(other, "not the journal's");
            File.SetUnixFileMode(other, wide);

            SqlitePersistence.Prepare($"Data Source={file}");

            Assert.All(files, f => Assert.Equal(OwnerOnly, File.GetUnixFileMode(f)));
            Assert.Equal(wide, File.GetUnixFileMode(other));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Writes a row and keeps the connection's -wal and -shm files (an open pool holds them).</summary>
    private static void WriteThrough(string connectionString)
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var write = connection.CreateCommand();
        write.CommandText = "PRAGMA journal_mode=WAL; CREATE TABLE IF NOT EXISTS t (x); INSERT INTO t VALUES (1);";
        write.ExecuteNonQuery();
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

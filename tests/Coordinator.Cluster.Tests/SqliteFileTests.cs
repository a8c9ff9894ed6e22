using Coordinator.Cluster.Hosting;
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
            var connectionString = CoordinatorHosting.PrepareSqlite($"Data Source={Path.Combine(folder, "journal.db")}");
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
            CoordinatorHosting.PrepareSqlite($"Data Source={Path.Combine(folder, "journal.db")};Cache=Shared"));
        Assert.Contains("Cache=Shared is not supported", refused.Message);
        Assert.Contains("uncommitted", refused.Message);
        Assert.False(Directory.Exists(folder));
    }
}

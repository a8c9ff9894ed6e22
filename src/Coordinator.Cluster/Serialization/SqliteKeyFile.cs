using System.Diagnostics;
using Coordinator.Cluster.Hosting;
using Microsoft.Data.Sqlite;

namespace Coordinator.Cluster.Serialization;

/// <summary>
/// On one node the keys live in a SQLite file of their own beside the journal (coordinator-keys.db beside
/// coordinator.db), so that an erasure can wipe them from disk without touching the journal's busy file: every
/// connection deletes with secure_delete (the row's bytes are overwritten with zeros in its page, and in every page
/// a later rebalance copies it to), and an erasure ends with a checkpoint that truncates the write-ahead log, where
/// the frames that inserted the key still held it. The journal's own file cannot be given the same promise cheaply:
/// its log is never idle long enough to truncate, and a VACUUM of it blocks the journal.
/// </summary>
public static class SqliteKeyFile
{
    /// <summary>The key file beside a journal file.</summary>
    public static string PathBeside(string journalFile, string suffix = "-keys") =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(journalFile)) ?? ".",
            Path.GetFileNameWithoutExtension(journalFile) + suffix + Path.GetExtension(journalFile));

    /// <summary>An owner-only file (SQLite gives its log files the same mode), made empty where none is yet.</summary>
    public static void CreateOwnerOnly(string file)
    {
        if (File.Exists(file) || OperatingSystem.IsWindows()) return;
        new FileStream(file, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        }).Dispose();
    }

    /// <summary>
    /// The key file's connection string (the journal's, on the other file), the file made owner-only (SQLite gives
    /// its log files the same mode), and the keys of a journal written before this version moved into it.
    /// </summary>
    public static string Prepare(string journalConnectionString)
    {
        var journal = new SqliteConnectionStringBuilder(journalConnectionString);
        var keys = new SqliteConnectionStringBuilder(journalConnectionString) { DataSource = PathBeside(journal.DataSource) };
        CreateOwnerOnly(keys.DataSource);
        using var connection = Open(keys.ConnectionString);
        Execute(connection, "PRAGMA journal_mode=WAL");
        Execute(connection, PersonalDataKeys.CreateTable("BLOB"));
        MoveFromJournal(journal.ConnectionString, connection);
        // A node stopped between an erasure's delete and its checkpoint left the key in the log.
        Checkpoint(connection);
        return keys.ConnectionString;
    }

    /// <summary>A connection that waits for the other writer and overwrites what it deletes.</summary>
    public static SqliteConnection Open(string connectionString)
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        SqlitePersistence.WaitWhenBusy(connection);
        Execute(connection, "PRAGMA secure_delete=ON");
        return connection;
    }

    /// <summary>
    /// Copies every page of the log into the file and truncates the log to nothing. SQLite waits (its busy wait) for
    /// readers still using the log, but answers "busy" at once while another connection checkpoints (a commit's
    /// automatic one): then again, up to the connection's timeout. Past it the key may still be in the log: an error.
    /// </summary>
    public static void Checkpoint(SqliteConnection connection)
    {
        using var checkpoint = connection.CreateCommand();
        checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
        var waited = Stopwatch.StartNew();
        while ((long)checkpoint.ExecuteScalar()! != 0)
        {
            if (waited.Elapsed.TotalSeconds > connection.DefaultTimeout)
                throw new InvalidOperationException(
                    $"{connection.DataSource}: the write-ahead log could not be truncated within {connection.DefaultTimeout} s");
            Thread.Sleep(5);
        }
    }

    /// <summary>
    /// Earlier versions kept the keys in the journal's file. They move here (in one transaction), then the old table
    /// is dropped with secure_delete and the journal vacuumed and its log truncated: rows deleted before this version
    /// (erasures) left their keys in free space that only a rewrite of the whole file clears. Once, at the first start.
    /// </summary>
    private static void MoveFromJournal(string journalConnectionString, SqliteConnection keys)
    {
        using var journal = Open(journalConnectionString);
        using (var exists = journal.CreateCommand())
        {
            exists.CommandText = $"SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '{PersonalDataKeys.Table}'";
            if ((long)exists.ExecuteScalar()! == 0) return;
        }
        using (var tx = keys.BeginTransaction())
        {
            using var read = journal.CreateCommand();
            read.CommandText = $"SELECT record_id, key, created FROM {PersonalDataKeys.Table}";
            using var rows = read.ExecuteReader();
            using var insert = keys.CreateCommand();
            insert.Transaction = tx;
            insert.CommandText = $"INSERT INTO {PersonalDataKeys.Table} (record_id, key, created) VALUES ($id, $key, $created) " +
                "ON CONFLICT (record_id) DO NOTHING";
            var (id, key, created) = (insert.Parameters.Add("$id", SqliteType.Text), insert.Parameters.Add("$key", SqliteType.Blob),
                insert.Parameters.Add("$created", SqliteType.Integer));
            while (rows.Read())
            {
                (id.Value, key.Value, created.Value) = (rows.GetString(0), rows.GetValue(1), rows.GetInt64(2));
                insert.ExecuteNonQuery();
            }
            tx.Commit();
        }
        Execute(journal, $"DROP TABLE {PersonalDataKeys.Table}");
        Execute(journal, "VACUUM");
        Checkpoint(journal);
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}

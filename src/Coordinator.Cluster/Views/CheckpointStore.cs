using System.Data.Common;
using Akka.Actor;
using Akka.Actor.Setup;
using Coordinator.Cluster.Hosting;
using Coordinator.Cluster.Serialization;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Coordinator.Cluster.Views;

/// <summary>A projection's state as stored: its shape, the journal position it reflects and the event there, the bytes.</summary>
/// <param name="LastEvent">"persistenceId#sequenceNr" of the event at <paramref name="Position"/>: a checkpoint is trusted only
/// by a journal that holds the same event there (not an older backup, not another operation's journal).</param>
/// <param name="KeyRecord">The key that seals the bytes (projections of personal data), in the personal-data key store.</param>
public sealed record StoredCheckpoint(string Shape, long Position, string LastEvent, byte[] State, string? KeyRecord);

/// <summary>
/// Where projections keep their checkpoints, one row per projection, beside the journal: on one node a SQLite file of
/// its own (coordinator-checkpoints.db beside coordinator.db, owner-only), so writing a large state never holds the
/// journal's write lock; in a cluster a table in the journal's PostgreSQL database, shared by the nodes (they fold the
/// same journal, so any node's checkpoint serves every node, and a checkpoint only ever replaces an older one).
/// </summary>
public sealed class CheckpointStore
{
    public const string Table = "projection_checkpoints";
    public const string SqliteSuffix = "-checkpoints";

    private readonly string _connectionString;
    private readonly PersistenceProvider _provider;
    private readonly Lock _tableLock = new();
    private bool _tableReady;

    public CheckpointStore(string journalConnectionString, PersistenceProvider provider)
    {
        _provider = provider;
        if (provider != PersistenceProvider.Sqlite)
        {
            _connectionString = journalConnectionString;
            return;
        }
        var journal = new SqliteConnectionStringBuilder(journalConnectionString);
        var file = new SqliteConnectionStringBuilder(journalConnectionString)
        {
            DataSource = SqliteKeyFile.PathBeside(journal.DataSource, SqliteSuffix),
        };
        SqliteKeyFile.CreateOwnerOnly(file.DataSource);
        _connectionString = file.ConnectionString;
    }

    public StoredCheckpoint? Load(string projection)
    {
        using var connection = Open();
        using var select = connection.Command(
            $"SELECT shape, position, last_event, state, key_record FROM {Table} WHERE projection = @p", "@p", projection);
        using var row = select.ExecuteReader();
        return row.Read()
            ? new StoredCheckpoint(row.GetString(0), row.GetInt64(1), row.GetString(2), (byte[])row.GetValue(3),
                row.IsDBNull(4) ? null : row.GetString(4))
            : null;
    }

    /// <summary>
    /// Stores the checkpoint unless one as new or newer is there (another node's): whether it was stored, and the key
    /// record of the checkpoint it replaced, which no one needs any more.
    /// </summary>
    public (bool Stored, string? Replaced) Save(string projection, StoredCheckpoint checkpoint)
    {
        using var connection = Open();
        using var tx = connection.BeginTransaction();
        using var select = connection.Command($"SELECT position, key_record FROM {Table} WHERE projection = @p"
            + (_provider == PersistenceProvider.Postgres ? " FOR UPDATE" : ""), "@p", projection);
        select.Transaction = tx;
        string? replaced = null;
        using (var row = select.ExecuteReader())
            if (row.Read())
            {
                if (row.GetInt64(0) >= checkpoint.Position) return (false, null);
                replaced = row.IsDBNull(1) ? null : row.GetString(1);
            }
        using var upsert = connection.Command($"""
            INSERT INTO {Table} (projection, shape, position, last_event, state, key_record, written)
            VALUES (@p, @shape, @position, @last, @state, @key, @written)
            ON CONFLICT (projection) DO UPDATE SET shape = excluded.shape, position = excluded.position, last_event = excluded.last_event,
                state = excluded.state, key_record = excluded.key_record, written = excluded.written
            WHERE {Table}.position < excluded.position
            """, "@p", projection);
        upsert.Transaction = tx;
        upsert.Add("@shape", checkpoint.Shape);
        upsert.Add("@position", checkpoint.Position);
        upsert.Add("@last", checkpoint.LastEvent);
        upsert.Add("@state", checkpoint.State);
        upsert.Add("@key", (object?)checkpoint.KeyRecord ?? DBNull.Value);
        upsert.Add("@written", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var stored = upsert.ExecuteNonQuery() > 0;
        tx.Commit();
        return (stored, stored ? replaced : null);
    }

    /// <summary>Deletes a checkpoint found untrustworthy; returns its key record, which no one needs any more.</summary>
    public string? Discard(string projection)
    {
        using var connection = Open();
        using var delete = connection.Command($"DELETE FROM {Table} WHERE projection = @p RETURNING key_record", "@p", projection);
        return delete.ExecuteScalar() as string;
    }

    private DbConnection Open()
    {
        DbConnection connection;
        if (_provider == PersistenceProvider.Sqlite)
        {
            var sqlite = new SqliteConnection(_connectionString);
            sqlite.Open();
            SqlitePersistence.WaitWhenBusy(sqlite);
            connection = sqlite;
        }
        else
        {
            connection = new NpgsqlConnection(_connectionString);
            connection.Open();
        }
        EnsureTable(connection);
        return connection;
    }

    /// <summary>On first use rather than at start: PostgreSQL may come up after the node.</summary>
    private void EnsureTable(DbConnection connection)
    {
        lock (_tableLock)
        {
            if (_tableReady) return;
            using var create = connection.CreateCommand();
            var bytes = _provider == PersistenceProvider.Sqlite ? "BLOB" : "BYTEA";
            create.CommandText = (_provider == PersistenceProvider.Sqlite ? "PRAGMA journal_mode=WAL; " : "") +
                $"CREATE TABLE IF NOT EXISTS {Table} (projection TEXT PRIMARY KEY, shape TEXT NOT NULL, position BIGINT NOT NULL, " +
                $"last_event TEXT NOT NULL, state {bytes} NOT NULL, key_record TEXT, written BIGINT NOT NULL)";
            create.ExecuteNonQuery();
            _tableReady = true;
        }
    }

    /// <summary>The store of this actor system, or null where none was set up (projections then fold the journal from the start).</summary>
    public static CheckpointStore? Of(ActorSystem system) =>
        system.Settings.Setup.Get<CheckpointStoreSetup>() is { HasValue: true } setup ? setup.Value.Store : null;
}

/// <summary>How projections (made by Akka, with the actor system only) find the checkpoint store.</summary>
public sealed class CheckpointStoreSetup(CheckpointStore store) : Setup
{
    public CheckpointStore Store { get; } = store;
}

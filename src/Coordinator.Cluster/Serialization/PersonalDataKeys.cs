using System.Collections.Concurrent;
using System.Data.Common;
using System.Security.Cryptography;
using Akka.Actor;
using Akka.Actor.Setup;
using Coordinator.Cluster.Hosting;
using Coordinator.Domain.Family;
using Coordinator.Domain.Sectors;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Coordinator.Cluster.Serialization;

/// <summary>
/// The per-record keys that seal persons' and inquiries' identifying details in the journal and the snapshots.
/// They live in their own table (personal_data_keys) beside the journal, never in it: deleting a record's key
/// makes every copy of its details unreadable (crypto-shredding), while the events, their order and the counts stay.
/// Keys are cached; a key missing from the cache is read from the database, synchronously (the serializer is).
/// Every erasure is listed in the erasure ledger before its key is deleted, and the ledger is applied to the table
/// before the first key is read: a database restored from an older backup cannot open what was erased since.
/// </summary>
public sealed class PersonalDataKeys(string connectionString, PersistenceProvider provider, ErasureLedgerFile? ledger = null)
{
    public const string Table = "personal_data_keys";
    public const int KeyBytes = 32;

    /// <summary>A record's key, or null once it is erased (remembered, so a replay asks the database once).</summary>
    private readonly ConcurrentDictionary<string, byte[]?> _cache = new(StringComparer.Ordinal);
    private readonly Lock _tableLock = new();
    private bool _tableReady;

    public ErasureLedgerFile? Ledger => ledger;

    public static string PersonRecord(string personId) => "person:" + personId;
    public static string InquiryRecord(string inquiryId) => "inquiry:" + inquiryId;

    /// <summary>The record whose key an event deletes, if it is an erasure.</summary>
    public static string? ErasedBy(object e) => e switch
    {
        PersonDetailsErased p => PersonRecord(p.Person),
        InquiryDetailsErased i => InquiryRecord(i.Inquiry),
        _ => null,
    };

    /// <summary>The store of this actor system, or null where none was set up (a bare system writes details in plain text).</summary>
    public static PersonalDataKeys? Of(ActorSystem system) =>
        system.Settings.Setup.Get<PersonalDataKeysSetup>() is { HasValue: true } setup ? setup.Value.Keys : null;

    /// <summary>The keys of these records, created (in one transaction) where none exists yet.</summary>
    public IReadOnlyDictionary<string, byte[]> KeysFor(IReadOnlyCollection<string> records)
    {
        var keys = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var record in records.Distinct())
            if (_cache.TryGetValue(record, out var key) && key is not null) keys[record] = key;
            // An erased record sealed again (a report resent to a restored node) gets a key that is never kept.
            else if (ledger?.Lists(record) == true) keys[record] = RandomNumberGenerator.GetBytes(KeyBytes);
            else missing.Add(record);
        if (missing.Count == 0) return keys;
        using var connection = Open();
        using (var tx = connection.BeginTransaction())
        {
            foreach (var record in missing)
            {
                // Two nodes may create the same record's key at once: the first insert wins and both read it back.
                using var insert = Command(connection,
                    $"INSERT INTO {Table} (record_id, key, created) VALUES (@id, @key, @created) ON CONFLICT (record_id) DO NOTHING", record);
                Add(insert, "@key", RandomNumberGenerator.GetBytes(KeyBytes));
                Add(insert, "@created", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
                insert.Transaction = tx;
                insert.ExecuteNonQuery();
            }
            tx.Commit();
        }
        foreach (var record in missing)
            keys[record] = _cache[record] = Read(connection, record) ?? throw new InvalidOperationException($"the key of {record} was not stored");
        return keys;
    }

    /// <summary>The record's key, or null when it was erased (or never made: then nothing was sealed with it).</summary>
    public byte[]? KeyOf(string record)
    {
        if (_cache.TryGetValue(record, out var cached)) return cached;
        using var connection = Open();
        return _cache[record] = Read(connection, record);
    }

    /// <summary>Deletes the record's key for good; idempotent, so every node may do it when it reads the erasure.</summary>
    public void Erase(string record)
    {
        ledger?.Append(record);
        using var connection = Open();
        Delete(connection, record);
    }

    private void Delete(DbConnection connection, string record, DbTransaction? tx = null)
    {
        using var delete = Command(connection, $"DELETE FROM {Table} WHERE record_id = @id", record);
        delete.Transaction = tx;
        delete.ExecuteNonQuery();
        _cache[record] = null;
    }

    private static byte[]? Read(DbConnection connection, string record)
    {
        using var select = Command(connection, $"SELECT key FROM {Table} WHERE record_id = @id", record);
        return select.ExecuteScalar() as byte[];
    }

    private DbConnection Open()
    {
        DbConnection connection = provider == PersistenceProvider.Sqlite ? new SqliteConnection(connectionString)
            : new NpgsqlConnection(connectionString);
        connection.Open();
        if (connection is SqliteConnection sqlite) SqlitePersistence.WaitWhenBusy(sqlite);
        EnsureTable(connection);
        return connection;
    }

    /// <summary>Created, and the ledger applied, on first use rather than at start: PostgreSQL may come up after the node.</summary>
    private void EnsureTable(DbConnection connection)
    {
        lock (_tableLock)
        {
            if (_tableReady) return;
            var bytes = provider == PersistenceProvider.Sqlite ? "BLOB" : "BYTEA";
            using var create = connection.CreateCommand();
            create.CommandText = $"CREATE TABLE IF NOT EXISTS {Table} (record_id TEXT PRIMARY KEY, key {bytes} NOT NULL, created BIGINT NOT NULL)";
            create.ExecuteNonQuery();
            using (var tx = connection.BeginTransaction())
            {
                foreach (var record in ledger?.Records() ?? []) Delete(connection, record, tx);
                tx.Commit();
            }
            _tableReady = true;
        }
    }

    private static DbCommand Command(DbConnection connection, string sql, string record)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        Add(command, "@id", record);
        return command;
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}

/// <summary>How the serializer (made by Akka, with the actor system only) finds the key store.</summary>
public sealed class PersonalDataKeysSetup(PersonalDataKeys keys) : Setup
{
    public PersonalDataKeys Keys { get; } = keys;
}

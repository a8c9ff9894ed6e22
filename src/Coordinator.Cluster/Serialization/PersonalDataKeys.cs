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
/// An erasure also wipes the key's bytes from the files that held it (SqliteKeyFile, PostgresKeyTable).
/// Keys are cached; a key missing from the cache is read from the database, synchronously (the serializer is).
/// Every erasure is listed in the erasure ledger before its key is deleted, and the ledger is applied to the table
/// before the first key is read: a database restored from an older backup cannot open what was erased since.
/// </summary>
public sealed class PersonalDataKeys
{
    public const string Table = "personal_data_keys";
    public const int KeyBytes = 32;

    /// <summary>A record's key, or null once it is erased (remembered, so a replay asks the database once).</summary>
    private readonly ConcurrentDictionary<string, byte[]?> _cache = new(StringComparer.Ordinal);
    private readonly Lock _tableLock = new();
    private bool _tableReady;
    private readonly string _connectionString;
    private readonly PersistenceProvider _provider;
    private readonly ErasureLedgerFile? _ledger;
    /// <summary>One erasure at a time here: one that finds the row gone returns only after its deleter's wipe.</summary>
    private readonly Lock _eraseLock = new();

    /// <summary>
    /// The store beside this journal: on SQLite its own file, prepared (older keys, a restored backup's among them,
    /// moved into it) and the ledger applied here, at start; on PostgreSQL on first use.
    /// </summary>
    public PersonalDataKeys(string connectionString, PersistenceProvider provider, ErasureLedgerFile? ledger = null)
    {
        _provider = provider;
        _ledger = ledger;
        if (provider != PersistenceProvider.Sqlite)
        {
            _connectionString = connectionString;
            return;
        }
        _connectionString = SqliteKeyFile.Prepare(connectionString);
        using var keys = SqliteKeyFile.Open(_connectionString);
        if (ApplyLedger(keys)) SqliteKeyFile.Checkpoint(keys);
    }

    public ErasureLedgerFile? Ledger => _ledger;

    public static string PersonRecord(string personId) => "person:" + personId;
    public static string InquiryRecord(string inquiryId) => "inquiry:" + inquiryId;

    /// <summary>The persons and inquiries among records named as <see cref="PersonRecord"/> and <see cref="InquiryRecord"/> name them.</summary>
    public static ErasedRecords Listed(IEnumerable<string> records)
    {
        var list = records.ToList();
        static HashSet<string> Of(IEnumerable<string> records, string prefix) =>
            records.Where(r => r.StartsWith(prefix, StringComparison.Ordinal)).Select(r => r[prefix.Length..]).ToHashSet();
        return new ErasedRecords(Of(list, PersonRecord("")), Of(list, InquiryRecord("")));
    }

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
            else if (_ledger?.Lists(record) == true) keys[record] = RandomNumberGenerator.GetBytes(KeyBytes);
            else missing.Add(record);
        if (missing.Count == 0) return keys;
        using var connection = Open();
        using (var tx = connection.BeginTransaction())
        {
            foreach (var record in missing)
            {
                // Two nodes may create the same record's key at once: the first insert wins and both read it back.
                using var insert = connection.Command(
                    $"INSERT INTO {Table} (record_id, key, created) VALUES (@id, @key, @created) ON CONFLICT (record_id) DO NOTHING", "@id", record);
                insert.Add("@key", RandomNumberGenerator.GetBytes(KeyBytes));
                insert.Add("@created", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
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

    /// <summary>
    /// Deletes the record's key for good, and its bytes from the database's files before it returns; idempotent, so
    /// every node may do it when it reads the erasure. A node that still held the key wipes even when the row was
    /// gone (another node deleted it a moment ago and may still be wiping); one replaying old erasures does not.
    /// </summary>
    public void Erase(string record)
    {
        _ledger?.Append(record);
        Retire(record);
    }

    /// <summary>
    /// Deletes and wipes a key that seals no person's or family's record of its own (a projection checkpoint's, replaced
    /// by a newer one): as an erasure does, but not listed in the erasure ledger, which names erased records only.
    /// </summary>
    public void Retire(string record)
    {
        lock (_eraseLock)
        {
            using var connection = Open();
            var deleted = Delete(connection, record);
            var held = _cache.TryGetValue(record, out var key) && key is not null;
            _cache[record] = null;
            if (!deleted && !held) return;
            if (connection is SqliteConnection sqlite) SqliteKeyFile.Checkpoint(sqlite);
            else PostgresKeyTable.Vacuum(connection);
        }
    }

    /// <summary>Deletes the key of every record the ledger lists (a restored backup's keys among them); true if it listed any.</summary>
    private bool ApplyLedger(DbConnection connection)
    {
        if (_ledger?.Records() is not { Count: > 0 } erased) return false;
        using var tx = connection.BeginTransaction();
        foreach (var record in erased)
        {
            Delete(connection, record, tx);
            _cache[record] = null;
        }
        tx.Commit();
        return true;
    }

    /// <summary>True when this delete removed the row.</summary>
    private static bool Delete(DbConnection connection, string record, DbTransaction? tx = null)
    {
        using var delete = connection.Command($"DELETE FROM {Table} WHERE record_id = @id", "@id", record);
        delete.Transaction = tx;
        return delete.ExecuteNonQuery() > 0;
    }

    private static byte[]? Read(DbConnection connection, string record)
    {
        using var select = connection.Command($"SELECT key FROM {Table} WHERE record_id = @id", "@id", record);
        return select.ExecuteScalar() as byte[];
    }

    private DbConnection Open()
    {
        if (_provider == PersistenceProvider.Sqlite) return SqliteKeyFile.Open(_connectionString);
        var connection = new NpgsqlConnection(_connectionString);
        connection.Open();
        EnsureTable(connection);
        return connection;
    }

    public static string CreateTable(string bytes) =>
        $"CREATE TABLE IF NOT EXISTS {Table} (record_id TEXT PRIMARY KEY, key {bytes} NOT NULL, created BIGINT NOT NULL)";

    /// <summary>
    /// Created, and the ledger applied, on first use rather than at start: PostgreSQL may come up after the node. A node
    /// stopped between an erasure's delete and its vacuum left the key in the table's file: the first use vacuums.
    /// </summary>
    private void EnsureTable(NpgsqlConnection connection)
    {
        lock (_tableLock)
        {
            if (_tableReady) return;
            using var create = connection.CreateCommand();
            create.CommandText = CreateTable("BYTEA");
            create.ExecuteNonQuery();
            ApplyLedger(connection);
            PostgresKeyTable.Vacuum(connection);
            _tableReady = true;
        }
    }
}

/// <summary>How the serializer (made by Akka, with the actor system only) finds the key store.</summary>
public sealed class PersonalDataKeysSetup(PersonalDataKeys keys) : Setup
{
    public PersonalDataKeys Keys { get; } = keys;
}

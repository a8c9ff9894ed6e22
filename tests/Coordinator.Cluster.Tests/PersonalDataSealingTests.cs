using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using Akka.Actor;
using Akka.Actor.Setup;
using Coordinator.Cluster.Hosting;
using Coordinator.Cluster.Serialization;
using Coordinator.Cluster.Tests.Support;
using Coordinator.Domain;
using Coordinator.Domain.Facilities;
using Coordinator.Domain.Family;
using Coordinator.Domain.Sectors;
using Coordinator.Testing;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Coordinator.Cluster.Tests;

/// <summary>
/// The serializer with a key store on a real SQLite file: details are sealed in the bytes, read back whole
/// while the key exists, and as the erased marker once it is deleted — snapshots written before the erasure too.
/// An erased key is in no file of the database once the erasure returns: the files are carved for its bytes.
/// </summary>
public class PersonalDataSealingTests(PostgresServer postgres) : IDisposable
{
    private static readonly DateTimeOffset At = new(2024, 12, 9, 6, 30, 0, TimeSpan.Zero);
    private static readonly SectorRef Cell = new("saydnaya", "B2-C-14");
    private static readonly PersonDetails Youssef = new("Youssef Haddad", ["Yusuf"], "Khalil", null, 1979, null, "Homs",
        "weak", "Al-Mujtahid hospital");
    private static readonly PersonDetails Mohamed = new("Mohamed Halabi", [], null, null, null, 38, null, null, null);
    private static readonly InquiryDetails Wanted = new("Youssef Khalil Haddad", [], "Khalil", "Fatima", 1979, "Homs",
        "checkpoint, 2012", "+90 555 0100");

    private readonly string _folder = Directory.CreateTempSubdirectory("coord-seal-").FullName;
    private readonly List<ActorSystem> _systems = [];

    private string Journal => Path.Combine(_folder, "coordinator.db");
    private string ConnectionString => SqlitePersistence.Prepare($"Data Source={Journal}");

    public void Dispose()
    {
        foreach (var s in _systems) s.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>A node's serializer: its own actor system and key store (its own cache) on the shared database.</summary>
    private (EventSerializer Serializer, PersonalDataKeys Keys) Node()
    {
        var keys = new PersonalDataKeys(ConnectionString, PersistenceProvider.Sqlite);
        var system = ActorSystem.Create("seal", ActorSystemSetup.Create(new PersonalDataKeysSetup(keys)));
        _systems.Add(system);
        return (new EventSerializer((ExtendedActorSystem)system), keys);
    }

    private static PersonsFound Found() => new(Cell, "K9-1", 2, 0, true, null, new ReportRef("r-1", "f"), At, Author.Team("K9-1"))
    {
        Persons = [new FoundPerson("p-1", Youssef), new FoundPerson("p-2", Mohamed)],
    };

    private static object RoundTrip(EventSerializer s, object o) => s.FromBinary(s.ToBinary(o), s.Manifest(o));

    [Fact]
    public void Details_are_sealed_in_the_bytes_and_read_back_whole_while_the_key_exists()
    {
        var (serializer, _) = Node();
        var bytes = Encoding.UTF8.GetString(serializer.ToBinary(Found()));
        Assert.DoesNotContain("Haddad", bytes);
        Assert.DoesNotContain("Halabi", bytes);
        Assert.Contains("\"Alive\":2", bytes); // the counts stay readable
        var read = (PersonsFound)serializer.FromBinary(Encoding.UTF8.GetBytes(bytes), "persons-found.v1");
        Assert.True(read.Persons[0].Details.SameAs(Youssef));
        Assert.True(read.Persons[1].Details.SameAs(Mohamed));

        // Another node (its own cache) opens them with the same key from the database.
        var (other, _) = Node();
        Assert.True(((PersonsFound)other.FromBinary(Encoding.UTF8.GetBytes(bytes), "persons-found.v1")).Persons[0].Details.SameAs(Youssef));
    }

    [Fact]
    public void Events_without_details_are_written_exactly_as_before()
    {
        var (serializer, _) = Node();
        var entered = new SectorEntered(Cell, "K9-1", new ReportRef("r-0", "f"), At, Author.Team("K9-1"));
        Assert.Equal(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(entered, EventSerializer.Options), serializer.ToBinary(entered));
        var counted = new PersonsFound(Cell, "K9-1", 3, 1, false, null, new ReportRef("r-2", "f"), At, Author.Team("K9-1"));
        Assert.Equal(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(counted, EventSerializer.Options), serializer.ToBinary(counted));
    }

    [Fact]
    public void Once_the_key_is_deleted_events_and_snapshots_written_before_read_as_erased_on_every_node()
    {
        var (serializer, keys) = Node();
        var sector = Sector.Empty(Cell)
            .Evolve(new SectorDefined(Cell, new SectorDefinition("B2-C-14", null, SectorKind.Cell, "Cell 14", []), At, Author.System))
            .Evolve(Found());
        var inquiry = Inquiry.Empty("inq-7").Evolve(new InquiryRegistered("inq-7", Wanted, At, Author.System));
        var stored = new object[] { Found(),
            new PersonRecordCorrected(Cell, "p-1", Youssef with { FatherName = "Khaled" }, "misheard", At, Author.System),
            new InquiryRegistered("inq-7", Wanted, At, Author.System), sector, inquiry }
            .Select(o => (Bytes: serializer.ToBinary(o), Manifest: serializer.Manifest(o))).ToList();
        var (other, _) = Node();
        // cached there before the erasure
        Assert.True(((Sector)other.FromBinary(stored[3].Bytes, stored[3].Manifest)).Persons["p-1"].SameAs(Youssef));

        keys.Erase(PersonalDataKeys.PersonRecord("p-1"));
        keys.Erase(PersonalDataKeys.InquiryRecord("inq-7"));
        var (fresh, _) = Node();
        foreach (var reader in new[] { serializer, fresh })
        {
            var found = (PersonsFound)reader.FromBinary(stored[0].Bytes, stored[0].Manifest);
            Assert.True(found.Persons[0].Details.IsErased);
            Assert.True(found.Persons[1].Details.SameAs(Mohamed)); // another record's key is untouched
            Assert.Equal(2, found.Alive);
            Assert.True(((PersonRecordCorrected)reader.FromBinary(stored[1].Bytes, stored[1].Manifest)).Details.IsErased);
            Assert.True(((InquiryRegistered)reader.FromBinary(stored[2].Bytes, stored[2].Manifest)).Details.IsErased);
            var snapshot = (Sector)reader.FromBinary(stored[3].Bytes, stored[3].Manifest);
            Assert.True(snapshot.Persons["p-1"].IsErased);
            Assert.Equal((2, 0), (snapshot.Alive, snapshot.Deceased));
            var inquirySnapshot = (Inquiry)reader.FromBinary(stored[4].Bytes, stored[4].Manifest);
            Assert.True(inquirySnapshot.Erased && inquirySnapshot.Registered);
            Assert.Null(inquirySnapshot.Details!.Contact);
        }
        // A snapshot taken after the erasure holds the marker as it is, and makes no new key for the record.
        var after = sector.Evolve(new PersonDetailsErased(Cell, "p-1", "asked by the family", At, Author.System));
        Assert.True(((Sector)RoundTrip(serializer, after)).Persons["p-1"].IsErased);
        Assert.Null(new PersonalDataKeys(ConnectionString, PersistenceProvider.Sqlite).KeyOf(PersonalDataKeys.PersonRecord("p-1")));
    }

    [Fact]
    public async Task Two_nodes_creating_the_same_records_key_at_once_get_the_same_key()
    {
        var stores = Enumerable.Range(0, 4).Select(_ => new PersonalDataKeys(ConnectionString, PersistenceProvider.Sqlite)).ToList();
        var keys = await Task.WhenAll(stores.Select(s => Task.Run(() => s.KeysFor(["person:p-9"])["person:p-9"])));
        Assert.All(keys, k => Assert.Equal(keys[0], k));
    }

    private static Dictionary<string, byte[]> Named(IEnumerable<KeyValuePair<string, byte[]>> keys) => keys.ToDictionary();

    private static void Output(string line) => TestContext.Current.TestOutputHelper?.WriteLine(line);

    [Fact]
    public async Task On_SQLite_an_erased_key_is_in_no_file_nor_online_backup_while_others_create_and_erase_at_once()
    {
        var stores = Enumerable.Range(0, 4).Select(_ => new PersonalDataKeys(ConnectionString, PersistenceProvider.Sqlite)).ToList();
        var all = stores[0].KeysFor([.. Enumerable.Range(0, 400).Select(i => PersonalDataKeys.PersonRecord($"p-{i:x16}"))]);
        var erased = Named(all.Where((_, i) => i % 2 == 0));
        // Four nodes' stores at once: each erases its share while it creates new keys, one record at a time.
        var created = await Task.WhenAll(stores.Select((store, n) => Task.Run(() =>
        {
            var made = new Dictionary<string, byte[]>();
            foreach (var (record, i) in erased.Keys.Where((_, i) => i % stores.Count == n).Select((r, i) => (r, i)))
            {
                store.Erase(record);
                made[$"inquiry:inq-{n}-{i}"] = store.KeysFor([$"inquiry:inq-{n}-{i}"])[$"inquiry:inq-{n}-{i}"];
            }
            return made;
        })));
        var kept = Named(all.Where(k => !erased.ContainsKey(k.Key)).Concat(created.SelectMany(c => c)));

        // While the stores are open (the node running), then through SQLite's online backup of every file.
        Assert.Empty(RawFiles.Holding(RawFiles.In(_folder), erased));
        Assert.Equal(kept.Keys.Order(), RawFiles.Holding(RawFiles.In(_folder), kept).Order()); // the carving finds keys
        var backups = Directory.CreateDirectory(Path.Combine(_folder, "backup")).FullName;
        foreach (var file in Directory.GetFiles(_folder, "*.db"))
        {
            using var source = new SqliteConnection($"Data Source={file}");
            using var copy = new SqliteConnection($"Data Source={Path.Combine(backups, Path.GetFileName(file))};Pooling=false");
            source.Open();
            source.BackupDatabase(copy);
        }
        Assert.Empty(RawFiles.Holding(RawFiles.In(backups), erased));
        Assert.Equal(kept.Count, RawFiles.Holding(RawFiles.In(backups), kept).Count);

        var fresh = new PersonalDataKeys(ConnectionString, PersistenceProvider.Sqlite);
        Assert.All(erased.Keys, r => Assert.Null(fresh.KeyOf(r)));
        Assert.All(kept, k => Assert.Equal(k.Value, fresh.KeyOf(k.Key)));

        var timed = System.Diagnostics.Stopwatch.StartNew();
        foreach (var record in kept.Keys.Take(20)) fresh.Erase(record);
        Output($"SQLite: {timed.Elapsed.TotalMilliseconds / 20:0.0} ms per erasure (delete and checkpoint, {kept.Count} keys)");
    }

    [Fact]
    public void Keys_an_earlier_version_kept_in_the_journal_move_to_their_own_file_and_leave_no_byte_behind()
    {
        // The journal as an earlier version left it: the keys' table in its file, some rows deleted by erasures.
        var old = Enumerable.Range(0, 200).ToDictionary(i => PersonalDataKeys.PersonRecord($"p-{i:x16}"), _ => RandomNumberGenerator.GetBytes(32));
        var erased = Named(old.Where((_, i) => i % 2 == 0));
        using (var journal = new SqliteConnection(ConnectionString))
        {
            journal.Open();
            using var create = journal.CreateCommand();
            create.CommandText = PersonalDataKeys.CreateTable("BLOB");
            create.ExecuteNonQuery();
            foreach (var (record, key) in old)
            {
                using var insert = journal.CreateCommand();
                insert.CommandText = $"INSERT INTO {PersonalDataKeys.Table} VALUES ($id, $key, 0)";
                insert.Parameters.AddWithValue("$id", record);
                insert.Parameters.AddWithValue("$key", key);
                insert.ExecuteNonQuery();
            }
            foreach (var record in erased.Keys)
            {
                using var delete = journal.CreateCommand();
                delete.CommandText = $"DELETE FROM {PersonalDataKeys.Table} WHERE record_id = $id";
                delete.Parameters.AddWithValue("$id", record);
                delete.ExecuteNonQuery();
            }
        }
        Assert.NotEmpty(RawFiles.Holding(RawFiles.In(_folder), erased)); // what the earlier version left for anyone to read

        var keys = new PersonalDataKeys(ConnectionString, PersistenceProvider.Sqlite);

        var journalFiles = RawFiles.In(_folder).Where(f => Path.GetFileName(f).StartsWith("coordinator.db", StringComparison.Ordinal)).ToList();
        Assert.Empty(RawFiles.Holding(journalFiles, Named(old))); // neither the moved keys nor the erased ones
        Assert.Empty(RawFiles.Holding(RawFiles.In(_folder), erased));
        Assert.All(old, k => Assert.Equal(erased.ContainsKey(k.Key) ? null : k.Value, keys.KeyOf(k.Key)));
        using var check = new SqliteConnection(ConnectionString);
        check.Open();
        using var table = check.CreateCommand();
        table.CommandText = $"SELECT COUNT(*) FROM sqlite_master WHERE name = '{PersonalDataKeys.Table}'";
        Assert.Equal(0L, table.ExecuteScalar());
        Assert.Equal(old.Count - erased.Count, RawFiles.Holding([SqliteKeyFile.PathBeside(Journal)], Named(old)).Count);
    }

    [Fact]
    public async Task On_PostgreSQL_an_erased_key_is_in_no_file_of_the_database_even_past_a_snapshot_older_than_the_erasure()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        var stores = Enumerable.Range(0, 3).Select(_ => new PersonalDataKeys(connectionString, PersistenceProvider.Postgres)).ToList();
        var all = stores[0].KeysFor([.. Enumerable.Range(0, 300).Select(i => PersonalDataKeys.InquiryRecord($"inq-{i}"))]);
        var erased = Named(all.Where((_, i) => i % 3 == 0));
        var kept = Named(all.Where(k => !erased.ContainsKey(k.Key)));
        Assert.All(stores, s => Assert.NotNull(s.KeyOf(all.Keys.First()))); // each store's first use (a vacuum) done

        // A session of another node (or a report) that took its snapshot before the erasure and is still open.
        await using var db = new NpgsqlConnection(connectionString);
        await db.OpenAsync(TestContext.Current.CancellationToken);
        await Execute(db, "CREATE TABLE elsewhere (x int)");
        await using var older = await db.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, TestContext.Current.CancellationToken);
        await Execute(db, "SELECT COUNT(*) FROM elsewhere");

        var erasing = Task.WhenAll(stores.Select((store, n) => Task.Run(() =>
        {
            foreach (var record in erased.Keys.Where((_, i) => i % stores.Count == n)) store.Erase(record);
        })));
        await using (var watch = new NpgsqlConnection(connectionString))
        {
            await watch.OpenAsync(TestContext.Current.CancellationToken);
            await Eventually.Until(async () => (long)(await Scalar(watch, $"SELECT COUNT(*) FROM {PersonalDataKeys.Table}"))!
                <= all.Count - stores.Count, "each store's first erasure deleted its row");
        }
        // Each waits rather than vacuum a row that snapshot still sees (the whole erasure takes well under a second).
        Assert.NotSame(erasing, await Task.WhenAny(erasing, Task.Delay(TimeSpan.FromSeconds(2), TestContext.Current.CancellationToken)));
        await older.CommitAsync(TestContext.Current.CancellationToken);
        await erasing;

        // Whatever is still in the server's memory goes to the files before they are carved.
        await Execute(db, "CHECKPOINT");
        var data = (string)(await Scalar(db, "SHOW data_directory"))!;
        var oid = (uint)(await Scalar(db, "SELECT oid FROM pg_database WHERE datname = current_database()"))!;
        var files = RawFiles.In(Path.Combine(data, "base", oid.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Empty(RawFiles.Holding(files, erased));
        Assert.Equal(kept.Count, RawFiles.Holding(files, kept).Count);
        var fresh = new PersonalDataKeys(connectionString, PersistenceProvider.Postgres);
        Assert.All(erased.Keys, r => Assert.Null(fresh.KeyOf(r)));

        var timed = System.Diagnostics.Stopwatch.StartNew();
        foreach (var record in kept.Keys.Take(20)) fresh.Erase(record);
        Output($"PostgreSQL: {timed.Elapsed.TotalMilliseconds / 20:0.0} ms per erasure (VACUUM FULL of {kept.Count} keys' table)");
    }

    private static async Task Execute(NpgsqlConnection db, string sql)
    {
        await using var command = new NpgsqlCommand(sql, db);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    private static async Task<object?> Scalar(NpgsqlConnection db, string sql)
    {
        await using var command = new NpgsqlCommand(sql, db);
        return await command.ExecuteScalarAsync(TestContext.Current.CancellationToken);
    }
}

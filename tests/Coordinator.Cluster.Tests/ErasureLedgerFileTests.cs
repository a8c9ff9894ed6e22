using Coordinator.Cluster.Hosting;
using Coordinator.Cluster.Serialization;
using Microsoft.Data.Sqlite;

namespace Coordinator.Cluster.Tests;

/// <summary>
/// The erasure ledger on disk and the key store that keeps it (no actors): a record is on disk before its key is
/// deleted, a database restored with the keys of records the ledger lists opens none of them, and a record the
/// ledger lists never gets a key again.
/// </summary>
public class ErasureLedgerFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("coord-ledger-").FullName;

    private string LedgerPath => Path.Combine(_folder, PersistenceSettings.LedgerFileName);
    private string Database => SqlitePersistence.Prepare($"Data Source={Path.Combine(_folder, "coordinator.db")}");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public void An_erasure_is_listed_on_disk_owner_only_before_its_key_goes_and_is_listed_once()
    {
        var keys = new PersonalDataKeys(Database, PersistenceProvider.Sqlite, new ErasureLedgerFile(LedgerPath));
        keys.KeysFor(["person:p-1", "inquiry:inq-7"]);
        keys.Erase("person:p-1");
        keys.Erase("person:p-1"); // every node's view erases again as it reads the event
        Assert.Equal("person:p-1\n", File.ReadAllText(LedgerPath));
        Assert.Null(keys.KeyOf("person:p-1"));
        Assert.NotNull(keys.KeyOf("inquiry:inq-7"));
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(LedgerPath));
        Assert.Equal(["person:p-1"], new ErasureLedgerFile(LedgerPath).Records());
    }

    [Fact]
    public void A_database_restored_from_before_an_erasure_opens_nothing_the_ledger_lists_and_never_keys_it_again()
    {
        var before = new PersonalDataKeys(Database, PersistenceProvider.Sqlite);
        var key = before.KeysFor(["person:p-1", "person:p-2"])["person:p-1"];
        File.WriteAllText(LedgerPath, "person:p-1\n"); // erased since, on the node whose ledger this is

        var restored = new PersonalDataKeys(Database, PersistenceProvider.Sqlite, new ErasureLedgerFile(LedgerPath));
        Assert.Null(restored.KeyOf("person:p-1"));
        Assert.NotNull(restored.KeyOf("person:p-2"));
        Assert.Null(new PersonalDataKeys(Database, PersistenceProvider.Sqlite).KeyOf("person:p-1")); // gone from the table itself
        // Details sealed again for it (a report resent to the restored node) are sealed under a key that is never kept.
        Assert.NotEqual(key, restored.KeysFor(["person:p-1"])["person:p-1"]);
        Assert.Null(restored.KeyOf("person:p-1"));
        Assert.Null(new PersonalDataKeys(Database, PersistenceProvider.Sqlite).KeyOf("person:p-1"));
    }

    [Fact]
    public void A_write_cut_short_is_undone_a_last_record_without_its_line_break_kept_and_a_bad_line_stops_the_start_naming_it()
    {
        File.WriteAllText(LedgerPath, "person:p-1\ninqu");
        new ErasureLedgerFile(LedgerPath).Append("inquiry:inq-7");
        Assert.Equal("person:p-1\ninquiry:inq-7\n", File.ReadAllText(LedgerPath));
        File.WriteAllText(LedgerPath, "person:p-1");
        new ErasureLedgerFile(LedgerPath).Append("inquiry:inq-7");
        Assert.Equal(["person:p-1", "inquiry:inq-7"], new ErasureLedgerFile(LedgerPath).Records());

        File.WriteAllText(LedgerPath, "person:p-1\nYoussef Haddad\n");
        var refused = Assert.Throws<InvalidOperationException>(() => new ErasureLedgerFile(LedgerPath));
        Assert.Contains("line 2 is not a record", refused.Message);
        Assert.Equal("person:p-1\nYoussef Haddad\n", File.ReadAllText(LedgerPath)); // nothing changed
        Assert.Throws<ArgumentException>(() => new ErasureLedgerFile(Path.Combine(_folder, "other")).Append("Youssef Haddad"));
    }
}

using Akka.Hosting;
using Akka.Persistence.Sql.Config;
using Coordinator.Cluster.Serialization;
using LinqToDB;
using Microsoft.Data.Sqlite;

namespace Coordinator.Cluster.Hosting;

/// <summary>The journal on a SQLite file: the file prepared, reads without the write lock, SQLite's own busy wait.</summary>
public static class SqlitePersistence
{
    public const string Provider = ProviderName.SQLiteMS;

    /// <summary>The plugin ids whose connections <see cref="WithSqliteBusyWait"/> prepares.</summary>
    public static readonly string[] PluginIds = ["akka.persistence.journal.sql", "akka.persistence.query.journal.sql",
        "akka.persistence.snapshot-store.sql"];

    public static AkkaConfigurationBuilder WithSqlitePersistence(this AkkaConfigurationBuilder builder, PersistenceSettings settings)
    {
        var connectionString = Prepare(settings.ConnectionString);
        return builder
            .WithSqlJournal(connectionString, Provider, settings)
            .WithSqliteReads()
            .WithSqliteBusyWait(connectionString);
    }

    /// <summary>
    /// Reads without the write lock. The plugin's default isolation ("unspecified") makes Microsoft.Data.Sqlite
    /// open every read transaction with BEGIN IMMEDIATE, the write lock, so the views' polling and every entity's
    /// recovery would queue behind the journal's writes. "read-uncommitted" opens them with a plain BEGIN; without a
    /// shared cache SQLite still shows a reader committed data only (WAL snapshot).
    /// </summary>
    public static AkkaConfigurationBuilder WithSqliteReads(this AkkaConfigurationBuilder builder) => builder.AddHocon("""
        akka.persistence.journal.sql.read-isolation-level = read-uncommitted
        akka.persistence.query.journal.sql.read-isolation-level = read-uncommitted
        akka.persistence.snapshot-store.sql.read-isolation-level = read-uncommitted
        """, HoconAddMode.Prepend);

    /// <summary>
    /// SQLite has one writer at a time, and the journal and the snapshot store write from connections of their own.
    /// Without a busy timeout SQLite answers the loser "busy" at once, and Microsoft.Data.Sqlite then sleeps (a
    /// blocked thread) before it tries again. With SQLite's own busy wait on every connection the loser retries
    /// after 1, 2, 5 … ms, up to the connection's timeout (docs/benchmarks.md has the measured difference).
    /// Microsoft.Data.Sqlite's async calls run synchronously: without a yield the journal's write stream would insert
    /// and commit on its own thread, never see the writes waiting behind, and commit each event alone (a flush to
    /// disk each). Yielding once the connection is open lets the stream gather them into its next batch.
    /// </summary>
    public static AkkaConfigurationBuilder WithSqliteBusyWait(this AkkaConfigurationBuilder builder, string connectionString)
    {
        var options = new DataOptions()
            .UseConnectionString(Provider, connectionString)
            .UseAfterConnectionOpened(c => WaitWhenBusy((SqliteConnection)c), async (c, _) =>
            {
                WaitWhenBusy((SqliteConnection)c);
                await Task.Yield();
            });
        var setup = new MultiDataOptionsSetup();
        foreach (var pluginId in PluginIds) setup.AddDataOptions(pluginId, options);
        return builder.AddSetup(setup);
    }

    /// <summary>Has SQLite itself wait for the other writer, up to the connection's default timeout, and counts its commits by file.</summary>
    public static void WaitWhenBusy(SqliteConnection connection)
    {
        SQLitePCL.raw.sqlite3_busy_timeout(connection.Handle, connection.DefaultTimeout * 1000);
        SQLitePCL.raw.sqlite3_commit_hook(connection.Handle, CountCommit, new KeyValuePair<string, object?>("file", connection.DataSource));
    }

    private static readonly SQLitePCL.delegate_commit CountCommit = file =>
    {
        Telemetry.SqliteCommits.Add(1, (KeyValuePair<string, object?>)file);
        return 0; // go on with the commit
    };

    /// <summary>Creates the folder and the SQLite file, the owner's alone, and turns on write-ahead logging, which persists in the file.</summary>
    public static string Prepare(string? connectionString)
    {
        var csb = new SqliteConnectionStringBuilder(string.IsNullOrWhiteSpace(connectionString)
            ? $"Data Source={PersistenceSettings.DefaultSqliteFile}" : connectionString);
        if (csb.DefaultTimeout < 30) csb.DefaultTimeout = 30; // also the busy timeout: wait for a lock, do not fail
        // Reads run read-uncommitted (WithSqliteReads); only a shared cache would let that show uncommitted writes.
        if (csb.Cache == SqliteCacheMode.Shared)
            throw new InvalidOperationException(
                "Coordinator:Persistence:ConnectionString: Cache=Shared is not supported " +
                "(the journal's readers would see uncommitted writes); remove it");
        var file = Path.GetFullPath(csb.DataSource);
        CreateOwnersFolder(Path.GetDirectoryName(file));
        KeepOwnersAlone(file);
        using var connection = new SqliteConnection(csb.ConnectionString);
        connection.Open();
        using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA journal_mode=WAL;";
        pragma.ExecuteNonQuery();
        return csb.ConnectionString;
    }

    /// <summary>
    /// An online backup of the journal's file into <paramref name="file"/> (SQLite's backup API): one read transaction, so
    /// the copy is the database as it was at one commit, while the node goes on writing. The copy is the owner's alone, as
    /// the file it copies, and holds no write-ahead log: it is one file, ready to be a node's database.
    /// </summary>
    public static void Backup(string connectionString, string file)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (new FileStream(file, options)) { } // created owner-only before SQLite writes it
        using var source = new SqliteConnection(connectionString);
        source.Open();
        WaitWhenBusy(source);
        using var copy = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ConnectionString);
        copy.Open();
        source.BackupDatabase(copy);
        CopyKeys(copy, SqliteKeyFile.PathBeside(source.DataSource));
        using var rollback = copy.CreateCommand();
        rollback.CommandText = "PRAGMA journal_mode=DELETE;"; // no -wal beside the copy; a node turns WAL on again at start
        rollback.ExecuteNonQuery();
    }

    /// <summary>
    /// The keys go into the copy as the table earlier versions kept beside the journal, so the backup is one file and a
    /// node started on it moves them into its own key file, as it does for an older journal. Read after the journal:
    /// a key erased meanwhile is missing (its record reads erased), never one the copy's journal has not erased yet.
    /// </summary>
    private static void CopyKeys(SqliteConnection copy, string keyFile)
    {
        if (!File.Exists(keyFile)) return;
        using var command = copy.CreateCommand();
        command.CommandText = $"""
            ATTACH DATABASE $keys AS keys;
            {PersonalDataKeys.CreateTable("BLOB")};
            INSERT INTO main.{PersonalDataKeys.Table} SELECT record_id, key, created FROM keys.{PersonalDataKeys.Table};
            DETACH DATABASE keys;
            """;
        command.Parameters.AddWithValue("$keys", keyFile);
        command.ExecuteNonQuery();
    }

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>
    /// The journal names detained people and where they were found: the file is created owner-only (0600) before
    /// SQLite opens it, since SQLite would create it 0644 and gives its -wal and -shm files the database's own mode.
    /// The database and every file beside it named after it (-wal, -shm, the demo's marker) are tightened if wider,
    /// as an older version left them.
    /// </summary>
    private static void KeepOwnersAlone(string file)
    {
        if (OperatingSystem.IsWindows()) return;
        if (!File.Exists(file))
            new FileStream(file, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerOnly })
                .Dispose();
        foreach (var named in Directory.EnumerateFiles(Path.GetDirectoryName(file)!, Path.GetFileName(file) + "*"))
            if ((File.GetUnixFileMode(named) & ~OwnerOnly) != 0) File.SetUnixFileMode(named, OwnerOnly);
    }

    /// <summary>A folder we create is the owner's alone: the journal names detained people and where they were found.</summary>
    private static void CreateOwnersFolder(string? folder)
    {
        if (folder is null || Directory.Exists(folder)) return;
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(folder);
        else Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}

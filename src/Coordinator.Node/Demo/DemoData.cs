using Coordinator.Cluster.Hosting;
using Microsoft.Data.Sqlite;

namespace Coordinator.Node.Demo;

/// <summary>
/// Keeps the demo's simulated records apart from real ones. A demo writes its own SQLite file, in a "demo" folder
/// beside the configured one (./data/demo/coordinator.db by default), marked by a file beside it (".simulated").
/// A real node refuses to open a marked database, and a demo refuses one that exists unmarked, or PostgreSQL:
/// simulated reports never mix with an operation's record, which is kept forever.
/// </summary>
public static class DemoData
{
    public const string Folder = "demo";
    public const string MarkerSuffix = ".simulated";

    /// <summary>The persistence settings this node runs on, checked: for a demo, its own file; for a real node, the configured one.</summary>
    public static PersistenceSettings Apart(PersistenceSettings configured, bool demo)
    {
        if (configured.Provider != PersistenceProvider.Sqlite)
            return demo
                ? throw new InvalidOperationException("--demo runs on its own SQLite file only, never on a PostgreSQL database, "
                    + "where real operations are kept: remove Coordinator:Persistence:Provider=postgres to run the demo")
                : configured;
        var csb = new SqliteConnectionStringBuilder(string.IsNullOrWhiteSpace(configured.ConnectionString)
            ? $"Data Source={PersistenceSettings.DefaultSqliteFile}" : configured.ConnectionString);
        if (!demo)
        {
            if (File.Exists(Marker(csb.DataSource)))
                throw new InvalidOperationException($"{Path.GetFullPath(csb.DataSource)} holds a simulated operation (--demo): "
                    + "a real node never opens it. Set Coordinator:Persistence:ConnectionString to the operation's own database");
            return configured;
        }
        var real = Path.GetFullPath(csb.DataSource);
        csb.DataSource = Path.Combine(Path.GetDirectoryName(real)!, Folder, Path.GetFileName(real));
        if (File.Exists(csb.DataSource) && !File.Exists(Marker(csb.DataSource)))
            throw new InvalidOperationException($"{csb.DataSource} is not marked as the demo's ({Marker(csb.DataSource)} is missing): "
                + "it may hold a real operation, and the demo will not write simulated reports into it. Move it away, or run without --demo");
        var folder = Path.GetDirectoryName(csb.DataSource)!;
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(folder);
        else Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.WriteAllText(Marker(csb.DataSource),
            "This database holds a simulated operation written by coordinator --demo. A real node refuses to open it.\n");
        return configured with { ConnectionString = csb.ConnectionString };
    }

    private static string Marker(string dataSource) => Path.GetFullPath(dataSource) + MarkerSuffix;
}

using Coordinator.Cluster.Hosting;

namespace Coordinator.Cluster.Tests.Support;

/// <summary>A fresh, real journal: a SQLite file in a temp folder, or a new database on the test PostgreSQL server.</summary>
public static class Store
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    public static async Task<PersistenceSettings> CreateAsync(string provider, PostgresServer postgres) => provider switch
    {
        Sqlite => new PersistenceSettings
        {
            Provider = PersistenceProvider.Sqlite,
            ConnectionString = $"Data Source={Path.Combine(Directory.CreateTempSubdirectory("coord-sqlite-").FullName, "coordinator.db")}",
        },
        Postgres => new PersistenceSettings { Provider = PersistenceProvider.Postgres, ConnectionString = await postgres.CreateDatabaseAsync() },
        _ => throw new ArgumentOutOfRangeException(nameof(provider)),
    };
}

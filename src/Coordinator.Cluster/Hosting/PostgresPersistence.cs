using Akka.Hosting;
using LinqToDB;

namespace Coordinator.Cluster.Hosting;

/// <summary>The journal on PostgreSQL: nothing to prepare beyond a connection string, which is required.</summary>
public static class PostgresPersistence
{
    public const string Provider = ProviderName.PostgreSQL15;

    public static AkkaConfigurationBuilder WithPostgresPersistence(this AkkaConfigurationBuilder builder, PersistenceSettings settings) =>
        builder.WithSqlJournal(ConnectionStringOf(settings), Provider, settings);

    public static string ConnectionStringOf(PersistenceSettings settings) =>
        string.IsNullOrWhiteSpace(settings.ConnectionString)
            ? throw new InvalidOperationException("Coordinator:Persistence:ConnectionString is required for PostgreSQL")
            : settings.ConnectionString;
}

using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Coordinator.Cluster.Hosting;

/// <summary>Whether the journal's database answers now: a connection and SELECT 1, bounded in time.</summary>
public sealed class JournalProbe(PersistenceSettings settings)
{
    private readonly string _connectionString = CoordinatorHosting.Resolve(settings).ConnectionString;

    public async Task<bool> ReachableAsync(CancellationToken ct)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            await using DbConnection connection = settings.Provider == PersistenceProvider.Postgres
                ? new NpgsqlConnection(_connectionString)
                : new SqliteConnection(_connectionString);
            await connection.OpenAsync(timeout.Token);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1";
            await command.ExecuteScalarAsync(timeout.Token);
            return true;
        }
        catch (Exception e) when (e is DbException or OperationCanceledException or TimeoutException or InvalidOperationException)
        {
            return false;
        }
    }
}

using System.Data.Common;
using System.Diagnostics;

namespace Coordinator.Cluster.Serialization;

/// <summary>
/// On PostgreSQL a deleted row stays in the table's file until a vacuum, and a plain VACUUM leaves its bytes in the
/// page's free space (and in the page on disk until the next checkpoint writes it). VACUUM FULL writes the live rows
/// into a new file and truncates the old one at once, so the key is gone from the table's files when it returns.
/// It copies a deleted row that some open snapshot may still see, though: so first it waits until every session of
/// this database, every replica's feedback and every replication slot has moved past the deletion.
/// The server's write-ahead log, its archive, replicas and base backups are the operator's (docs/security.md).
/// </summary>
public static class PostgresKeyTable
{
    /// <summary>How long a session may hold a snapshot from before the deletion before the erasure fails.</summary>
    private static readonly TimeSpan SnapshotPatience = TimeSpan.FromSeconds(30);

    public static void Vacuum(DbConnection connection)
    {
        var after = (string)Scalar(connection, "SELECT pg_snapshot_xmax(pg_current_snapshot())::text", null)!;
        var waited = Stopwatch.StartNew();
        while ((long)Scalar(connection, OlderSnapshots, after)! > 0)
        {
            if (waited.Elapsed > SnapshotPatience)
                throw new InvalidOperationException($"the key is deleted but a session held a snapshot from before the deletion for " +
                    $"{SnapshotPatience.TotalSeconds:0} s, so {PersonalDataKeys.Table} was not vacuumed yet; the next erasure or start does it");
            Thread.Sleep(10);
        }
        Scalar(connection, $"VACUUM FULL {PersonalDataKeys.Table}", null);
    }

    /// <summary>Sessions, replicas' feedback and slots whose oldest snapshot or transaction predates @after.</summary>
    private const string OlderSnapshots = """
        WITH deletion AS (SELECT xid(@after::xid8) AS x)
        SELECT (SELECT COUNT(*) FROM pg_stat_activity, deletion WHERE pid <> pg_backend_pid()
                  AND ((datname = current_database() AND backend_type = 'client backend') OR backend_type = 'walsender')
                  AND (age(backend_xmin) > age(x) OR age(backend_xid) > age(x)))
             + (SELECT COUNT(*) FROM pg_replication_slots, deletion WHERE age(xmin) > age(x))
             + (SELECT COUNT(*) FROM pg_prepared_xacts, deletion WHERE database = current_database() AND age(transaction) > age(x))
        """;

    private static object? Scalar(DbConnection connection, string sql, string? after)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        if (after is not null)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@after";
            parameter.Value = after;
            command.Parameters.Add(parameter);
        }
        return command.ExecuteScalar();
    }
}

using System.Diagnostics;
using Akka.Actor;
using Coordinator.Cluster.Hosting;
using Coordinator.Cluster.Serialization;
using Coordinator.Node.Access;
using Coordinator.Node.Http;

namespace Coordinator.Node.Admin;

/// <summary>
/// Backups (`coord admin backup`, admin tokens only): the journal's SQLite file copied online and streamed, and the
/// erasure ledger to keep beside it and to put on a restored node (docs/operations.md, Backups and Restore).
/// </summary>
public static class BackupEndpoints
{
    public const string SqliteContentType = "application/vnd.sqlite3";

    public static IEndpointRouteBuilder MapBackups(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/admin").WithTags("Backups").RequireAuthorization(Roles.Administer);
        admin.MapPost("/backup", Backup)
            .WithSummary("Takes an online backup of this node's SQLite database and streams it (the erasure ledger is apart)")
            .WithDescription("Admin only. A consistent online copy of this node's SQLite journal, streamed as a file and deleted from the node once "
                + "sent; on PostgreSQL it is refused with 409 BackupWithPgDump (back up with pg_dump). Keep GET /api/admin/erasure-ledger with "
                + "every backup: the ledger is not in the file.")
            .Produces(StatusCodes.Status200OK, contentType: SqliteContentType);
        admin.MapGet("/erasure-ledger", (ActorSystem system) => TypedResults.Text(
                string.Concat((PersonalDataKeys.Of(system)?.Ledger?.Records() ?? []).Select(r => r + "\n")), "text/plain; charset=utf-8"))
            .WithSummary("The erasure ledger: every record erased on this node, one id a line, to keep with the backups")
            .WithDescription("Admin only. Plain text, one record id a line, empty when nothing was erased; this node's own ledger, to keep beside "
                + "its backups and to put on a restored node.")
            .Produces(StatusCodes.Status200OK, contentType: "text/plain");
        return app;
    }

    private static async Task<IResult> Backup(HttpRequest http, CoordinatorSettings settings, ILoggerFactory logs, CancellationToken ct)
    {
        if (settings.Persistence.Provider != PersistenceProvider.Sqlite)
            return Problems.Problem(StatusCodes.Status409Conflict, ProblemCode.BackupWithPgDump,
                "this node's journal is on PostgreSQL: back it up with pg_dump, and keep every node's erasure ledger "
                + "(GET /api/admin/erasure-ledger) with it (docs/operations.md, Backups)");
        var connectionString = SqlitePersistence.Prepare(settings.Persistence.ConnectionString);
        var database = settings.Persistence.SqliteFile();
        // Beside the database, in its owner-only folder; deleted once streamed (or the client gone).
        var copy = $"{database}.backup-{Guid.NewGuid():N}";
        var started = Stopwatch.GetTimestamp();
        await Task.Run(() => SqlitePersistence.Backup(connectionString, copy), ct);
        var file = new FileStream(copy, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.DeleteOnClose);
        logs.CreateLogger(typeof(BackupEndpoints)).LogInformation("Backup of {Database} for {Caller}: {Bytes} bytes in {Milliseconds} ms",
            database, Caller.Of(http).Subject, file.Length, (int)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return TypedResults.Stream(file, SqliteContentType, $"coordinator-{DateTime.UtcNow:yyyyMMdd-HHmmss}.db");
    }
}

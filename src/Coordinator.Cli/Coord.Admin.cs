using System.CommandLine;
using System.Diagnostics;

namespace Coordinator.Cli;

public static partial class Coord
{
    /// <summary>What a backup ends with beside the database: the erasure ledger taken right after it (docs/operations.md, Restore).</summary>
    public const string LedgerSuffix = ".erasure-ledger";

    private static IEnumerable<Command> AdminCommands(LeafFactory leaf)
    {
        var backupFile = Opt<string>("--out", "The backup's file (a new one); its erasure ledger is written beside it, as <file>"
            + LedgerSuffix, required: true);
        yield return leaf("backup", "An online backup of the node's SQLite database, with its erasure ledger beside it", async (p, c, ct) =>
        {
            var file = p.GetValue(backupFile)!;
            var ledger = file + LedgerSuffix;
            if (File.Exists(file) || File.Exists(ledger))
            {
                c.Output.Error($"{(File.Exists(file) ? file : ledger)} exists: a backup never replaces another, name a new file");
                return ExitCode.Invalid;
            }
            var started = Stopwatch.GetTimestamp();
            var answer = await c.Api.Download(HttpMethod.Post, "/api/admin/backup", file, ct);
            if (!answer.Ok) return c.Output.Problem(answer);
            // After the backup, so the ledger lists every erasure the backup holds the key of — and any made since.
            answer = await c.Api.Download(HttpMethod.Get, "/api/admin/erasure-ledger", ledger, ct);
            if (!answer.Ok)
            {
                File.Delete(file);
                c.Output.Error("the backup was not kept: without its erasure ledger it could bring erased details back");
                return c.Output.Problem(answer);
            }
            var seconds = Math.Round(Stopwatch.GetElapsedTime(started).TotalSeconds, 1);
            c.Output.Fields(("backup", file), ("bytes", new FileInfo(file).Length), ("erasureLedger", ledger),
                ("erasures", File.ReadLines(ledger).Count(l => l.Length > 0)), ("seconds", seconds));
            return ExitCode.Ok;
        }, backupFile);

        var ledgerFile = Opt<string>("--out", "Write the ledger to this file (a new one) instead of the screen");
        yield return leaf("erasure-ledger", "The records erased on the node (ids only), for a restored node or to keep with backups",
            async (p, c, ct) =>
            {
                if (p.GetValue(ledgerFile) is { } file)
                {
                    if (File.Exists(file))
                    {
                        c.Output.Error($"{file} exists: name a new file");
                        return ExitCode.Invalid;
                    }
                    var saved = await c.Api.Download(HttpMethod.Get, "/api/admin/erasure-ledger", file, ct);
                    return saved.Ok ? ExitCode.Ok : c.Output.Problem(saved);
                }
                var answer = await c.Api.Get("/api/admin/erasure-ledger", ct);
                if (!answer.Ok) return c.Output.Problem(answer);
                await c.Output.Out.WriteAsync(answer.Body?.GetValue<string>() ?? "");
                return ExitCode.Ok;
            }, ledgerFile);
    }
}

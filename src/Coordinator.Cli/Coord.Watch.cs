using System.CommandLine;
using System.Text;

namespace Coordinator.Cli;

public static partial class Coord
{
    /// <summary>
    /// `coord watch [facility]`: the board in the terminal, redrawn in place whenever the live stream says something
    /// changed (and every few seconds regardless, so time on site moves on).
    /// </summary>
    private static IEnumerable<Command> WatchCommands(LeafFactory leaf)
    {
        var facility = new Argument<string?>("facility")
        {
            Description = "Only this facility (its levels, its teams)",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var once = new Option<bool>("--once") { Description = "Draw one frame and exit" };
        yield return leaf("watch", "A live view of the board or of one facility, redrawn in place", async (p, c, ct) =>
        {
            var only = p.GetValue(facility);
            if (only is not null && await c.Api.Get(Api.Path("api", "facilities", only), ct) is { Ok: false } missing)
                return c.Output.Problem(missing);
            var answer = await c.Api.Get("/api/board", ct);
            if (!answer.Ok) return c.Output.Problem(answer);
            Draw(c.Output.Out, answer.As<BoardView>(), only, live: !p.GetValue(once));
            if (p.GetValue(once)) return ExitCode.Ok;

            using var changes = new SemaphoreSlim(0);
            var listening = Listen(c, only, changes, ct);
            while (!ct.IsCancellationRequested)
            {
                try { await changes.WaitAsync(TimeSpan.FromSeconds(5), ct); }
                catch (OperationCanceledException) { break; }
                await Task.Delay(200, ct).ContinueWith(_ => { }); // let a burst of changes settle into one frame
                while (changes.CurrentCount > 0) changes.Wait(0);
                var board = await c.Api.Get("/api/board", ct);
                if (board.Ok) Draw(c.Output.Out, board.As<BoardView>(), only, live: !listening.IsCompleted);
                else c.Output.Problem(board);
            }
            return ExitCode.Ok;
        }, facility, once);
    }

    /// <summary>Follows the live stream, reconnecting after a drop; each event releases the semaphore once.</summary>
    private static async Task Listen(Context c, string? facility, SemaphoreSlim changes, CancellationToken ct)
    {
        var path = facility is null ? "/api/stream" : $"/api/stream?facility={Uri.EscapeDataString(facility)}";
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await foreach (var line in c.Api.Lines(path, ct))
                    if (line.StartsWith("data:", StringComparison.Ordinal)) changes.Release();
            }
            catch (Exception e) when (e is HttpRequestException or IOException) { }
            changes.Release(); // redraw shows the link as down
            try { await Task.Delay(TimeSpan.FromSeconds(2), ct); } catch (OperationCanceledException) { }
        }
    }

    private static void Draw(TextWriter o, BoardView board, string? only, bool live)
    {
        var frame = new StringBuilder();
        if (live) frame.Append("\u001b[H\u001b[2J");
        frame.AppendLine($"Coordinator — {DateTime.Now:HH:mm:ss}{(live ? "  (live; Ctrl+C to leave)" : "")}").AppendLine();
        foreach (var f in board.Facilities.Where(f => only is null || f.Id == only))
        {
            var p = f.Progress;
            frame.AppendLine($"{f.Name,-40} {Bar(p, 30)} {p.PercentFinal,5}%  alive {p.PersonsAlive}  deceased {p.PersonsDeceased}"
                + $"{(f.SignedOff ? "  SIGNED OFF" : "")}");
            if (only is not null)
                foreach (var l in f.Levels.Where(l => l.Progress.Leaves > 0))
                    frame.AppendLine($"  {l.Level,-10} {Bar(l.Progress, 30)} {l.Progress.PercentFinal,5}%"
                        + $"  blocked {l.Progress.Blocked}  hazard {l.Progress.Hazard}");
        }
        frame.AppendLine().AppendLine($"{"TEAM",-10} {"STATUS",-12} {"SECTOR",-28} {"ON SITE",-8} ON DUTY");
        foreach (var t in board.Teams.Where(t => only is null || t.Sector is null || t.Sector.FacilityId == only))
            frame.AppendLine($"{t.Id,-10} {t.Status,-12} {t.Sector?.ToString() ?? "-",-28} {Time(t.SecondsOnSite),-8} "
                + $"{OnDuty(t.SecondsOnDuty, t.PastShift)}");
        frame.AppendLine().AppendLine("ALERTS");
        foreach (var a in board.OpenAlerts.Where(a => only is null || a.Facility == only).Take(8))
            frame.AppendLine($"  {a.At:HH:mm} {a.Kind,-16} {a.Facility}/{a.Sector}  {a.Text}");
        o.Write(frame.ToString());
        o.Flush();
    }

    private static string Bar(ProgressView p, int width)
    {
        var leaves = Math.Max(1, p.Leaves);
        var done = p.Cleared + p.ClearedWithDeceased;
        var working = p.InProgress;
        var filled = width * done / leaves;
        var busy = Math.Min(width - filled, width * working / leaves);
        return $"[{new string('█', filled)}{new string('▒', busy)}{new string('·', width - filled - busy)}]";
    }
}

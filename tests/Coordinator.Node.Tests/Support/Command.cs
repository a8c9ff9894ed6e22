using System.Diagnostics;

namespace Coordinator.Node.Tests.Support;

/// <summary>A program run to its end as a terminal runs it: its exit code and what it printed, killed if it outlives its limit.</summary>
public static class Command
{
    public static async Task<(int Exit, string Out, string Err)> RunAsync(ProcessStartInfo start, TimeSpan? limit = null)
    {
        (start.RedirectStandardOutput, start.RedirectStandardError) = (true, true);
        using var process = Process.Start(start)!;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        if (limit is { } most) deadline.CancelAfter(most);
        var stdout = process.StandardOutput.ReadToEndAsync(deadline.Token);
        var stderr = process.StandardError.ReadToEndAsync(deadline.Token);
        try { await process.WaitForExitAsync(deadline.Token); }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        return (process.ExitCode, await stdout, await stderr);
    }
}

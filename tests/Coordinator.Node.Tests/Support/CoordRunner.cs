namespace Coordinator.Node.Tests.Support;

/// <summary>`coord` run in-process as a terminal runs it: its exit code and what it printed. It waits 5 s for the server unless told
/// otherwise.</summary>
public static class CoordRunner
{
    public static async Task<(int Exit, string Out, string Err)> Run(Uri server, string outbox, string token, params string[] args)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        string[] timeout = args.Contains("--timeout") ? [] : ["--timeout", "5"];
        var exit = await Cli.Coord.RunAsync([.. args, .. timeout, "--server", server.ToString(), "--outbox", outbox, "--token", token], stdout,
            stderr,
            TestContext.Current.CancellationToken);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}

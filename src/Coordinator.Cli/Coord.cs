using System.CommandLine;

namespace Coordinator.Cli;

/// <summary>The `coord` command tree. Each command is one API call (or a few), printed as a table or as JSON.</summary>
public static partial class Coord
{
    public const string DefaultServer = "http://127.0.0.1:5080";

    private static readonly Option<string> Server = new("--server")
    {
        Description = "The node to talk to (or COORD_SERVER)",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("COORD_SERVER") is { Length: > 0 } s ? s : DefaultServer,
    };
    private static readonly Option<bool> Json = new("--json") { Description = "Print the server's JSON instead of tables", Recursive = true };
    private static readonly Option<string> OutboxPath = new("--outbox")
    {
        Description = "The file of undelivered field reports (or COORD_OUTBOX)",
        Recursive = true,
        DefaultValueFactory = _ => Outbox.DefaultPath,
    };
    private static readonly Option<string?> Token = new("--token")
    {
        Description = "Bearer token (or COORD_TOKEN)",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("COORD_TOKEN") is { Length: > 0 } t ? t : null,
    };
    private static readonly Option<int> Timeout = new("--timeout")
    {
        Description = "Seconds to wait for the server",
        Recursive = true,
        DefaultValueFactory = _ => 15,
    };

    /// <summary>What one invocation works with.</summary>
    private sealed record Context(Api Api, Output Output, Outbox Outbox);

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken ct = default)
    {
        var root = new RootCommand("coord: the command-line client of Coordinator, for leads, field units, monitors and the family desk.");
        root.Options.Add(Server);
        root.Options.Add(Json);
        root.Options.Add(OutboxPath);
        root.Options.Add(Timeout);
        root.Options.Add(Token);
        foreach (var command in Commands(stdout, stderr)) root.Subcommands.Add(command);

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var e in parsed.Errors) await stderr.WriteLineAsync(e.Message);
            await stderr.WriteLineAsync("see coord --help");
            return ExitCode.Invalid;
        }
        return await parsed.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr }, ct);
    }

    private static IEnumerable<Command> Commands(TextWriter stdout, TextWriter stderr)
    {
        Command Leaf(string name, string description, Func<ParseResult, Context, CancellationToken, Task<int>> run, params Symbol[] symbols)
        {
            var command = new Command(name, description);
            foreach (var s in symbols)
            {
                if (s is Argument a) command.Arguments.Add(a);
                else if (s is Option o) command.Options.Add(o);
            }
            command.SetAction(async (parse, ct) =>
            {
                if (!Uri.TryCreate(parse.GetValue(Server), UriKind.Absolute, out var server))
                {
                    await stderr.WriteLineAsync($"--server must be an absolute URL such as {DefaultServer}");
                    return ExitCode.Invalid;
                }
                var timeout = TimeSpan.FromSeconds(Math.Max(1, parse.GetValue(Timeout)));
                using var api = new Api(server, timeout, parse.GetValue(Token));
                // Another run holds the outbox at most for a flush: about one request's timeout, and a few seconds more.
                var outbox = new Outbox(parse.GetValue(OutboxPath)!, timeout + TimeSpan.FromSeconds(5));
                return await run(parse, new Context(api, new Output(stdout, stderr, parse.GetValue(Json)), outbox), ct);
            });
            return command;
        }

        Command Group(string name, string description, params Command[] children)
        {
            var group = new Command(name, description);
            foreach (var c in children) group.Subcommands.Add(c);
            return group;
        }

        yield return Group("facility", "Register facilities, import layouts, read progress", FacilityCommands(Leaf).ToArray());
        yield return Group("sector", "Add and read sectors", SectorCommands(Leaf).ToArray());
        yield return Group("team", "Register teams, read them, set their status", TeamCommands(Leaf).ToArray());
        foreach (var c in OperationCommands(Leaf)) yield return c;
        yield return Group("report", "Field reports (kept in the outbox when the server cannot be reached)", ReportCommands(Leaf).ToArray());
        yield return Group("token", "Issue and revoke access tokens (leads)", TokenCommands(Leaf).ToArray());
        yield return Group("cluster", "Inspect and control the cluster (admin tokens)", ClusterCommands(Leaf).ToArray());
        yield return Group("admin", "Backups and the erasure ledger (admin tokens)", AdminCommands(Leaf).ToArray());
        yield return Group("family", "The family desk: inquiries, persons found, candidates, decisions, hand-over", FamilyCommands(Leaf).ToArray());
        yield return Group("outbox", "Field reports waiting to be delivered", OutboxCommands(Leaf).ToArray());
        foreach (var c in WatchCommands(Leaf)) yield return c;
    }

    private delegate Command LeafFactory(string name, string description, Func<ParseResult, Context, CancellationToken, Task<int>> run,
        params Symbol[] symbols);

    private static Argument<string> Arg(string name, string description) => new(name) { Description = description };

    private static Option<T> Opt<T>(string name, string description, bool required = false) =>
        new(name) { Description = description, Required = required };

    /// <summary>A list's --limit: every page of it when not given.</summary>
    private static Option<int?> Most() => Opt<int?>("--limit", "At most this many, the first in the list's order (default: all, page by page)");

    private static Option<string[]> Many(string name, string description) =>
        new(name) { Description = description, AllowMultipleArgumentsPerToken = true, Arity = ArgumentArity.ZeroOrMore };
}

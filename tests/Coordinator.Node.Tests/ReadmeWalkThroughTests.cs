using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Coordinator.Node.Tests.Support;

namespace Coordinator.Node.Tests;

/// <summary>
/// README's walk-through with `coord`, run as written in bash against a real node: every line succeeds, and a line the README
/// says is refused is refused. Only the two lines that say where `coord` and the node's first token are (an alias to
/// `dotnet run` and a file in the node's data folder) are swapped for this test's node and its built `coord`.
/// </summary>
public class ReadmeWalkThroughTests : IAsyncLifetime
{
    private NodeUnderTest _node = null!;

    public async ValueTask InitializeAsync() => _node = await NodeUnderTest.StartAsync();

    public async ValueTask DisposeAsync() => await _node.DisposeAsync();

    [Fact]
    public async Task Every_coord_line_of_the_README_runs_as_written()
    {
        var readme = await File.ReadAllTextAsync(Path.Combine(Pages.RepositoryRoot, "README.md"), TestContext.Current.CancellationToken);
        var walkThrough = readme[readme.IndexOf("## A first walk-through with `coord`", StringComparison.Ordinal)..];
        walkThrough = walkThrough[..walkThrough.IndexOf("\n## ", StringComparison.Ordinal)];
        var lines = Regex.Matches(walkThrough, "```\n(.*?)```", RegexOptions.Singleline)
            .SelectMany(block => block.Groups[1].Value.Split('\n', StringSplitOptions.RemoveEmptyEntries)).ToList();
        Assert.True(lines.Count(l => l.StartsWith("coord ", StringComparison.Ordinal)) >= 15, $"the walk-through was not found: {lines.Count} lines");

        var folder = Directory.CreateTempSubdirectory("coord-readme-").FullName;
        Directory.CreateSymbolicLink(Path.Combine(folder, "docs"), Path.Combine(Pages.RepositoryRoot, "docs"));
        var script = new StringBuilder("set -o pipefail\n");
        for (var k = 0; k < lines.Count; k++)
        {
            var line = lines[k];
            if (line.StartsWith("alias coord=", StringComparison.Ordinal))
                line = $"coord() {{ '{Path.Combine(AppContext.BaseDirectory, "coord")}' \"$@\"; }}";
            else if (line.StartsWith("export COORD_TOKEN=", StringComparison.Ordinal))
                line = $"export COORD_TOKEN={NodeUnderTest.BootstrapToken}";
            script.Append(line).Append('\n').Append($"echo \"@@ {k} $?\"\n");
        }
        var start = new ProcessStartInfo("bash", ["-c", script.ToString()])
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["COORD_SERVER"] = _node.BaseAddress.ToString(),
                ["COORD_OUTBOX"] = Path.Combine(folder, "outbox.jsonl"),
                ["NO_COLOR"] = "1",
            },
        };
        using var bash = Process.Start(start)!;
        var output = bash.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var errors = bash.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await bash.WaitForExitAsync(TestContext.Current.CancellationToken);
        var (said, complained) = (await output, await errors);

        var exits = Regex.Matches(said, @"^@@ (\d+) (\d+)$", RegexOptions.Multiline)
            .ToDictionary(m => int.Parse(m.Groups[1].Value), m => int.Parse(m.Groups[2].Value));
        Assert.Equal(lines.Count, exits.Count);
        for (var k = 0; k < lines.Count; k++)
        {
            var refused = lines[k].Contains("# refused", StringComparison.Ordinal);
            Assert.True(refused ? exits[k] != 0 : exits[k] == 0,
                $"'{lines[k]}' exited {exits[k]}\n--- out\n{said}\n--- err\n{complained}");
        }
        var matches = await File.ReadAllTextAsync(Path.Combine(folder, "matches.csv"), TestContext.Current.CancellationToken);
        Assert.Contains("Mohamed Ahmad Al-Halabi", matches);
    }
}

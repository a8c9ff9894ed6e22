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
        // The files the walk-through names, where it names them (a copy: the folder is deleted afterwards).
        foreach (var file in Regex.Matches(string.Join('\n', lines), @"docs/[\w/.-]+").Select(m => m.Value).Distinct())
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(folder, file))!);
            File.Copy(Path.Combine(Pages.RepositoryRoot, file), Path.Combine(folder, file));
        }
        var script = new StringBuilder("set -o pipefail\n");
        for (var k = 0; k < lines.Count; k++)
        {
            var line = lines[k];
            if (line.StartsWith("alias coord=", StringComparison.Ordinal))
                line = $"coord() {{ '{Path.Combine(AppContext.BaseDirectory, "coord")}' \"$@\"; }}";
            else if (line.StartsWith("export COORD_TOKEN=", StringComparison.Ordinal))
                line = $"export COORD_TOKEN={NodeUnderTest.BootstrapToken}";
            script.Append(line).Append('\n').Append($"echo \"@@ {k} $?\"\n");
            // An export's own status is always 0: what it exported must be there.
            if (Regex.Match(line, "^export ([A-Z_]+)=") is { Success: true } export)
                script.Append($"[ -n \"${export.Groups[1].Value}\" ] && [ \"${export.Groups[1].Value}\" != null ]; echo \"@@ {k} $?\"\n");
        }
        var start = new ProcessStartInfo("bash", ["-c", script.ToString()])
        {
            WorkingDirectory = folder,
            Environment =
            {
                ["COORD_SERVER"] = _node.BaseAddress.ToString(),
                ["COORD_OUTBOX"] = Path.Combine(folder, "outbox.jsonl"),
                ["NO_COLOR"] = "1",
            },
        };
        try
        {
            var (_, said, complained) = await Command.RunAsync(start, TimeSpan.FromMinutes(3));

            // Each line's exits, in order (an export's twice: its own, then whether it exported anything).
            var exits = Regex.Matches(said, @"^@@ (\d+) (\d+)$", RegexOptions.Multiline)
                .GroupBy(m => int.Parse(m.Groups[1].Value), m => int.Parse(m.Groups[2].Value)).ToDictionary(g => g.Key, g => g.ToList());
            Assert.Equal(lines.Count, exits.Count);
            for (var k = 0; k < lines.Count; k++)
            {
                // README: coord exits 1 when a rule refuses.
                var expected = lines[k].Contains("# refused", StringComparison.Ordinal) ? 1 : 0;
                Assert.True(exits[k].All(e => e == expected),
                    $"'{lines[k]}' exited {string.Join("/", exits[k])}\n--- out\n{said}\n--- err\n{complained}");
            }
            var matches = await File.ReadAllTextAsync(Path.Combine(folder, "matches.csv"), TestContext.Current.CancellationToken);
            Assert.Contains("Mohamed Ahmad Al-Halabi", matches);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}

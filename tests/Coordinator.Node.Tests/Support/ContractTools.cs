using System.Diagnostics;

namespace Coordinator.Node.Tests.Support;

/// <summary>
/// The Node.js tools of tests/contract (its package.json pins them; `npm ci --prefix tests/contract` installs them): run with
/// node, each within a limit, and client/validate.mjs, which checks recorded answers against the node's OpenAPI document.
/// </summary>
public static class ContractTools
{
    public static string Folder { get; } = Path.Combine(Pages.RepositoryRoot, "tests", "contract");

    public static string Modules => Path.Combine(Folder, "node_modules");

    /// <summary>A file of an installed package; fails, saying how to install the tools, when it is not there.</summary>
    public static string Installed(params string[] path)
    {
        var file = Path.Combine([Modules, .. path]);
        Assert.True(File.Exists(file), $"{Path.Combine(path)} is not installed in {Modules}: run `npm ci --prefix tests/contract` (.ci/run does)");
        return file;
    }

    /// <summary>Runs node with these arguments; fails with what it printed unless it exits 0; returns what it printed.</summary>
    public static async Task<string> NodeAsync(string what, TimeSpan limit, string folder, IDictionary<string, string>? environment,
        params string[] arguments)
    {
        var (exit, said) = await RunNodeAsync(limit, folder, environment, arguments);
        Assert.True(exit == 0, $"{what} failed (exit {exit}):\n{said}");
        return said;
    }

    /// <summary>Runs node with these arguments: its exit code and what it printed.</summary>
    public static async Task<(int Exit, string Said)> RunNodeAsync(TimeSpan limit, string folder, IDictionary<string, string>? environment,
        params string[] arguments)
    {
        var start = new ProcessStartInfo("node", arguments) { WorkingDirectory = folder };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        var (exit, output, errors) = await Command.RunAsync(start, limit);
        return (exit, output + errors);
    }

    /// <summary>
    /// Checks every recorded answer (<see cref="AnswerRecorder"/>, or the TypeScript client's record.ts) against the document
    /// it was answered under: its status declared on its operation, its content type declared for that status, its body on
    /// that media type's schema. Fails listing every answer off it.
    /// </summary>
    public static async Task<string> ValidateAsync(string document, string answers)
    {
        var (exit, said) = await RunValidatorAsync(document, answers);
        Assert.True(exit == 0, $"validate.mjs found answers off the document (exit {exit}):\n{said}");
        TestContext.Current.SendDiagnosticMessage(said);
        return said;
    }

    /// <summary>As <see cref="ValidateAsync"/>, without failing: validate.mjs's exit code (0: none off) and what it said.</summary>
    public static async Task<(int Exit, string Said)> RunValidatorAsync(string document, string answers)
    {
        Installed("ajv", "dist", "2020.js");
        Installed("ajv-formats", "dist", "index.js");
        var file = Path.Combine(Path.GetDirectoryName(answers)!, "openapi.json");
        await File.WriteAllTextAsync(file, document, TestContext.Current.CancellationToken);
        return await RunNodeAsync(TimeSpan.FromMinutes(1), Folder, null, Path.Combine(Folder, "client", "validate.mjs"), file, answers);
    }
}

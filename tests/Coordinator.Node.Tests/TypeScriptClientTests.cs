using Coordinator.Node.Tests.Support;

namespace Coordinator.Node.Tests;

/// <summary>
/// The OpenAPI document through a second generated client, in another language: openapi-typescript makes TypeScript types of
/// the running node's document, tsc (strict) compiles tests/contract/client's walk-through against them, and node runs it
/// against the node: README's walk-through and its refusals through openapi-fetch, as ApiClientTests runs it through NSwag's
/// C# client, the live stream read through client/stream.ts. Every answer it received is then checked against the schema the
/// document declares for its operation, status and content type (client/validate.mjs). Nothing generated is checked in.
/// </summary>
public class TypeScriptClientTests : IAsyncLifetime
{
    private NodeUnderTest _node = null!;
    private readonly string _work = Directory.CreateTempSubdirectory("coord-ts-client-").FullName;

    public async ValueTask InitializeAsync() => _node = await NodeUnderTest.StartAsync();

    public async ValueTask DisposeAsync()
    {
        await _node.DisposeAsync();
        Directory.Delete(_work, recursive: true);
    }

    [Fact]
    public async Task The_README_walk_through_runs_through_a_TypeScript_client_made_from_the_document_and_every_answer_is_on_its_schema()
    {
        var ct = TestContext.Current.CancellationToken;
        var generator = ContractTools.Installed("openapi-typescript", "bin", "cli.js");
        var tsc = ContractTools.Installed("typescript", "bin", "tsc");
        ContractTools.Installed("openapi-fetch", "dist", "index.mjs");
        ContractTools.Installed("@types", "node", "package.json");

        // A copy of the client beside the tools (node_modules linked to tests/contract's), the types generated into it.
        var client = Directory.CreateDirectory(Path.Combine(_work, "client")).FullName;
        foreach (var file in Directory.EnumerateFiles(Path.Combine(ContractTools.Folder, "client")))
            File.Copy(file, Path.Combine(client, Path.GetFileName(file)));
        Directory.CreateSymbolicLink(Path.Combine(_work, "node_modules"), ContractTools.Modules);
        var document = await _node.Http.GetStringAsync("/openapi/v1.json", ct);
        await File.WriteAllTextAsync(Path.Combine(_work, "openapi.json"), document, ct);
        var generated = Directory.CreateDirectory(Path.Combine(client, "generated")).FullName;
        await ContractTools.NodeAsync("openapi-typescript", TimeSpan.FromMinutes(2), _work, null,
            generator, "openapi.json", "--output", Path.Combine(generated, "schema.d.ts"));

        await ContractTools.NodeAsync("tsc (strict) of the walk-through against the generated types", TimeSpan.FromMinutes(4), client, null,
            tsc, "--project", client, "--pretty", "false");

        // The walk-through, then the check of every answer it received (also when it failed on the way: both are shown).
        var answers = Path.Combine(_work, "answers.jsonl");
        var (walkedExit, walked) = await ContractTools.RunNodeAsync(TimeSpan.FromMinutes(3), client, new Dictionary<string, string>
        {
            ["COORD_SERVER"] = _node.BaseAddress.ToString(),
            ["COORD_TOKEN"] = NodeUnderTest.BootstrapToken,
            ["COORD_LAYOUT"] = Path.Combine(Pages.RepositoryRoot, "docs", "examples", "saydnaya-layout.json"),
            ["COORD_ANSWERS"] = answers,
        }, Path.Combine(client, "out", "walkthrough.js"));
        var (checkedExit, checkedAnswers) = File.Exists(answers)
            ? await ContractTools.RunValidatorAsync(document, answers)
            : (-1, "no answers recorded");
        Assert.True(walkedExit == 0 && checkedExit == 0,
            $"the TypeScript walk-through (exit {walkedExit}):\n{walked}\nvalidate.mjs on its answers (exit {checkedExit}):\n{checkedAnswers}");
        Assert.Contains("walked through", walked);
        Assert.Contains("every answer is as the document declares it", checkedAnswers);
        TestContext.Current.SendDiagnosticMessage(checkedAnswers);
    }
}

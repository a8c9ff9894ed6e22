using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Coordinator.Contracts;
using Coordinator.Domain;
using Coordinator.Domain.Views;
using Coordinator.Node.Tests.Support;

namespace Coordinator.Node.Tests;

/// <summary>The wire shapes live in Coordinator.Contracts; the document, the pages and the stream agree with them.</summary>
public partial class ContractsTests : IAsyncLifetime
{
    private JsonObject _document = null!;

    public async ValueTask InitializeAsync()
    {
        await using var node = await NodeUnderTest.StartAsync();
        _document = (JsonObject)(await node.Get("/openapi/v1.json")).Body!;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private IEnumerable<(string Route, JsonObject Operation)> Operations() => OpenApiDocument.Operations(_document);

    [Fact]
    public void Every_operation_says_what_it_does()
    {
        Assert.All(Operations(), o => Assert.False(string.IsNullOrWhiteSpace((string?)o.Operation["summary"]), $"{o.Route} has no summary"));
    }

    /// <summary>What a route answers is a record of the contract, or a word of the domain it speaks
    /// (an alert, a sector as monitors see it).</summary>
    [Fact]
    public void Every_response_schema_is_a_type_of_the_contract_or_the_domain()
    {
        var vocabulary = typeof(ApiJson).Assembly.GetExportedTypes()
            .Concat(typeof(Refusal).Assembly.GetExportedTypes()).Select(t => t.Name).ToHashSet();
        // The admin's view of the cluster is the cluster's own, read by operators, not by clients of the operation.
        string[] clusterViews = ["ClusterView", "RegionView", "ActorView"];
        var named = (from o in Operations()
                     from response in o.Operation["responses"]?.AsObject() ?? []
                     where response.Key.StartsWith('2')
                     from content in response.Value?["content"]?.AsObject() ?? []
                     where content.Key == "application/json"
                     let schema = content.Value!["schema"]!
                     let reference = (string?)(schema["$ref"] ?? schema["items"]?["$ref"])
                     where reference is not null
                     select (o.Route, Type: reference!.Split('/')[^1])).ToList();
        Assert.True(named.Count > 30, $"only {named.Count} responses name a schema");
        // A generic record of the contract is named for its argument: a page of inquiries is PageOfInquiryView.
        bool Known(string type) => vocabulary.Contains(type) || clusterViews.Contains(type)
            || type.Split("Of", 2) is [var generic, var argument] && vocabulary.Contains($"{generic}`1") && Known(argument);
        Assert.All(named, n => Assert.True(Known(n.Type), $"{n.Route} answers {n.Type}, not a Contracts type"));
    }

    [Fact]
    public void The_pages_name_the_kinds_of_change_as_the_stream_does()
    {
        using var stream = typeof(NodeApp).Assembly.GetManifestResourceStream("Coordinator.Node.wwwroot.changes.js")!;
        var script = new StreamReader(stream).ReadToEnd();
        var named = KindInScript().Matches(script).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(Enum.GetValues<ChangeKind>().Select(ChangeKinds.Name).Order(), named.Order());
        Assert.Equal("family-candidate", ChangeKinds.Name(ChangeKind.FamilyCandidate));
    }

    [Fact]
    public void A_change_reads_back_as_the_type_its_kind_carries()
    {
        var alert = new Alert(7, AlertKind.Hazard, "adra", "G-1", "SAR-1", new AlertFacts(Note: "gas"),
            new DateTimeOffset(2024, 12, 9, 8, 0, 0, TimeSpan.Zero));
        var json = JsonSerializer.Serialize(new StreamEvent(ChangeKind.Alert, "adra", "G-1", "SAR-1", alert), ApiJson.Options);
        Assert.Contains("\"kind\":\"alert\"", json);
        var read = JsonSerializer.Deserialize<StreamEvent>(json, ApiJson.Options)!;
        Assert.Equal((ChangeKind.Alert, alert), (read.Kind, read.DataAs<Alert>(ApiJson.Options)));
        Assert.All(Enum.GetValues<ChangeKind>(), k => Assert.NotNull(ChangeKinds.DataOf(k)));
    }

    [Fact]
    public void A_problem_code_names_one_thing()
    {
        Assert.Empty(Enum.GetNames<ProblemCode>().Intersect(Enum.GetNames<RefusalCode>()));
    }

    [GeneratedRegex("""^\s+\w+: "([a-z-]+)",$""", RegexOptions.Multiline)]
    private static partial Regex KindInScript();
}

using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Coordinator.Node.Tests.Support;

namespace Coordinator.Node.Tests;

/// <summary>The running node's OpenAPI document is one a generated client can rely on, and the node answers as it says.</summary>
public class OpenApiContractTests : IAsyncLifetime
{
    private NodeUnderTest _node = null!;
    private JsonObject _document = null!;

    public async ValueTask InitializeAsync()
    {
        _node = await NodeUnderTest.StartAsync();
        _document = (JsonObject)(await _node.Get("/openapi/v1.json")).Body!;
    }

    public async ValueTask DisposeAsync() => await _node.DisposeAsync();

    private IEnumerable<(string Route, JsonObject Operation)> Operations() =>
        from path in _document["paths"]!.AsObject()
        from op in path.Value!.AsObject()
        where op.Key is "get" or "post" or "put" or "delete" or "patch"
        select ($"{op.Key.ToUpperInvariant()} {path.Key}", op.Value!.AsObject());

    [Fact]
    public void Every_operation_has_its_own_operation_id()
    {
        var operations = Operations().ToList();
        Assert.True(operations.Count > 40, $"only {operations.Count} operations");
        Assert.All(operations, o => Assert.False(string.IsNullOrEmpty((string?)o.Operation["operationId"]), $"{o.Route} has no operationId"));
        var duplicates = operations.GroupBy(o => (string)o.Operation["operationId"]!).Where(g => g.Count() > 1).Select(g => g.Key);
        Assert.Empty(duplicates);
    }

    [Fact]
    public void Every_route_that_needs_a_token_declares_the_bearer_scheme_and_its_refusals_with_a_code()
    {
        var scheme = _document["components"]!["securitySchemes"]!["bearer"]!;
        Assert.Equal(("http", "bearer"), ((string)scheme["type"]!, (string)scheme["scheme"]!));
        var problem = _document["components"]!["schemas"]!["ProblemView"]!;
        Assert.Contains("code", problem["required"]!.AsArray().Select(n => (string)n!));

        var secured = Operations().Where(o => o.Operation["security"] is not null).ToList();
        Assert.Contains(secured, o => o.Route == "POST /api/reports");
        Assert.DoesNotContain(secured, o => o.Route.StartsWith("GET /healthz", StringComparison.Ordinal));
        Assert.All(secured, o =>
        {
            foreach (var status in new[] { "401", "403", "429" })
            {
                var schema = o.Operation["responses"]?[status]?["content"]?["application/problem+json"]?["schema"];
                Assert.True(schema is not null, $"{o.Route} does not declare {status}");
                Assert.Equal("#/components/schemas/ProblemView", (string?)schema["$ref"]);
            }
        });
    }

    [Fact]
    public void No_field_is_both_required_and_nullable_and_numbers_are_numbers()
    {
        foreach (var (name, schema) in _document["components"]!["schemas"]!.AsObject())
        {
            var required = schema!["required"]?.AsArray().Select(n => (string)n!).ToHashSet() ?? [];
            foreach (var (property, definition) in schema["properties"]?.AsObject() ?? [])
            {
                var types = definition!["type"] switch { JsonArray a => a.Select(t => (string)t!).ToList(), JsonValue v => [(string)v!], _ => [] };
                Assert.False(required.Contains(property) && types.Contains("null"), $"{name}.{property} is required and nullable");
                Assert.False(types.Contains("integer") && types.Contains("string"), $"{name}.{property} is typed integer|string");
            }
        }
    }

    [Fact]
    public async Task Refusals_the_framework_makes_carry_a_code_too_and_a_number_in_a_string_is_refused()
    {
        using var anonymous = _node.Client(null);
        using var signIn = await anonymous.GetAsync("/api/facilities", TestContext.Current.CancellationToken);
        Assert.Equal(401, (int)signIn.StatusCode);
        Assert.Equal("SignInNeeded", (string?)JsonNode.Parse(await signIn.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))?["code"]);

        var (status, body) = await _node.Post("/api/tokens", new { role = "monitor", expires = "5m" });
        Assert.Equal(201, status);
        using var monitor = _node.Client((string)body!["token"]!);
        using var forbidden = await monitor.PostAsJsonAsync("/api/facilities", new { id = "adra", name = "Adra" }, TestContext.Current.CancellationToken);
        Assert.Equal(403, (int)forbidden.StatusCode);
        Assert.Equal("NotAllowed", (string?)JsonNode.Parse(await forbidden.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))?["code"]);

        var (refused, problem) = await _node.Post("/api/teams", new { id = "SAR-1", callSign = "S", size = "3", capabilities = new[] { "Search" } });
        Assert.Equal(400, refused);
        Assert.Contains("size", (string?)problem?["detail"]);
        Assert.Equal(404, (await _node.Get("/api/teams/SAR-1")).Status);
    }
}

using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
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
    public void Enums_are_typed_strings_that_never_list_null()
    {
        var enums = Schemas(_document).Where(s => s["enum"] is not null).ToList();
        Assert.Contains(enums, e => e["enum"]!.AsArray().Any(w => (string?)w == "ClearedWithDeceased"));
        Assert.All(enums, e =>
        {
            Assert.Equal("string", (string?)e["type"]);
            Assert.DoesNotContain(e["enum"]!.AsArray(), w => w is null);
        });
        var schemas = _document["components"]!["schemas"]!;
        foreach (var (schema, property, component) in new[]
        {
            ("ReportOutcomeView", "sectorStatus", "SectorStatus"), ("TokenView", "role", "Role"), ("IssueTokenRequest", "role", "Role"),
            ("ImportRowView", "code", "RefusalCode"), ("TeamView", "status", "TeamStatus"),
        })
            Assert.Equal($"#/components/schemas/{component}", (string?)schemas[schema]!["properties"]![property]!["$ref"]);
    }

    [Fact]
    public void A_request_field_is_required_when_the_endpoint_refuses_the_body_without_it()
    {
        var schemas = _document["components"]!["schemas"]!;
        Assert.Equal(["id", "name"], Required(schemas["RegisterFacilityRequest"]!));
        Assert.Equal(["callSign", "capabilities", "id", "size"], Required(schemas["RegisterTeamRequest"]!));
        Assert.Equal(["facilityId", "kind", "reportId", "sectorId", "teamId"], Required(schemas["ReportRequest"]!));
        Assert.Empty(Required(schemas["LayoutRequest"]!)); // sectors or csv
        Assert.Equal("integer", (string?)schemas["RegisterTeamRequest"]!["properties"]!["size"]!["type"]);
        Assert.Equal(["null", "string"], schemas["RegisterFacilityRequest"]!["properties"]!["location"]!["type"]!.AsArray().Select(t => (string)t!)
            .Order());
    }

    [Fact]
    public async Task Every_body_missing_its_required_fields_is_refused_400()
    {
        var schemas = _document["components"]!["schemas"]!;
        var checkedRoutes = 0;
        foreach (var (route, operation) in Operations())
        {
            var reference = (string?)operation["requestBody"]?["content"]?["application/json"]?["schema"]?["$ref"];
            if (reference is null || Required(schemas[reference.Split('/')[^1]]!).Count == 0) continue;
            var (method, path) = (route.Split(' ')[0], route.Split(' ')[1]);
            var (status, body) = await _node.Send(new HttpMethod(method), Regex.Replace(path, "{[^}]+}", "x1"), "{}");
            // A route may look up what its path names first (no such person: 404); every other refuses the body.
            if (status == 404 && path.Contains('{')) continue;
            Assert.True(status == 400 && (string?)body?["code"] is "InvalidField" or "InvalidId",
                $"{route} with {{}}: {status} {body?.ToJsonString()}");
            checkedRoutes++;
        }
        Assert.True(checkedRoutes > 15, $"only {checkedRoutes} routes refused a body without its required fields");
    }

    [Fact]
    public void The_coverage_route_keeps_its_JSON_schema_beside_CSV_and_text_answers_are_files()
    {
        var ok = _document["paths"]!["/api/facilities/{facilityId}/coverage"]!["get"]!["responses"]!["200"]!["content"]!;
        Assert.Equal("#/components/schemas/CoverageRow", (string?)ok["application/json"]!["schema"]!["items"]!["$ref"]);
        Assert.Equal(("string", "binary"), ((string?)ok["text/csv"]!["schema"]!["type"], (string?)ok["text/csv"]!["schema"]!["format"]));
        var export = _document["paths"]!["/api/family/export/matches.csv"]!["get"]!["responses"]!["200"]!["content"]!;
        Assert.Equal("binary", (string?)export["text/csv"]!["schema"]!["format"]);
    }

    private static List<string> Required(JsonNode schema) => [.. (schema["required"]?.AsArray() ?? []).Select(n => (string)n!).Order()];

    /// <summary>Every schema in the document, the nested ones too.</summary>
    private static IEnumerable<JsonObject> Schemas(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => Schemas(p.Value)).Prepend(o),
        JsonArray a => a.SelectMany(Schemas),
        _ => [],
    };

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
        using var forbidden = await monitor.PostAsJsonAsync("/api/facilities",
            new { id = "adra", name = "Adra" }, TestContext.Current.CancellationToken);
        Assert.Equal(403, (int)forbidden.StatusCode);
        Assert.Equal("NotAllowed",
            (string?)JsonNode.Parse(await forbidden.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))?["code"]);

        var (refused, problem) = await _node.Post("/api/teams", new { id = "SAR-1", callSign = "S", size = "3", capabilities = new[] { "Search" } });
        Assert.Equal(400, refused);
        Assert.Contains("size", (string?)problem?["detail"]);
        Assert.Equal(404, (await _node.Get("/api/teams/SAR-1")).Status);
    }
}

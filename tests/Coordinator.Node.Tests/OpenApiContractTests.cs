using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Coordinator.Contracts;
using Coordinator.Domain.Views;
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

        // Every operation states its security; an open one as none (security: []).
        Assert.All(Operations(), o => Assert.True(o.Operation["security"] is JsonArray, $"{o.Route} does not state its security"));
        var secured = Operations().Where(o => o.Operation["security"]!.AsArray().Count > 0).ToList();
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
        // An EventSource accepts only text/event-stream and a browser text/html: the refusal is a problem all the same.
        foreach (var (path, accept) in new[]
                 { ("/api/stream", "text/event-stream"), ("/api/facilities", "text/html"), ("/api/nowhere", "text/html") })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path) { Headers = { { "Accept", accept } } };
            using var answer = await anonymous.SendAsync(request, TestContext.Current.CancellationToken);
            Assert.Equal("application/problem+json", answer.Content.Headers.ContentType?.MediaType);
            var code = (string?)JsonNode.Parse(await answer.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))?["code"];
            Assert.Equal(path == "/api/nowhere" ? "NoSuchRoute" : "SignInNeeded", code);
        }

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

    [Fact]
    public async Task Every_refusal_the_node_answers_is_declared_on_its_operation_and_fits_the_problem_schema()
    {
        var ct = TestContext.Current.CancellationToken;
        var (_, issued) = await _node.Post("/api/tokens", new { role = "monitor", expires = "5m" });
        using var monitor = _node.Client((string)issued!["token"]!);
        using var anonymous = _node.Client(null);
        Assert.Equal(201, (await _node.Post("/api/teams", new { id = "SAR-1", callSign = "S", size = 3, capabilities = new[] { "Search" } })).Status);
        var otherTeam = new { id = "SAR-1", callSign = "T", size = 5, capabilities = new[] { "K9" } }; // the id taken
        var refusals = new (string Operation, HttpClient Client, HttpRequestMessage Request, int Status)[]
        {
            ("getFamilyQueue", _node.Http, new(HttpMethod.Get, "/api/family/queue?days=999"), 400),
            ("getInquiries", _node.Http, new(HttpMethod.Get, "/api/inquiries?status=bogus"), 400),
            ("getPersons", _node.Http, new(HttpMethod.Get, "/api/persons"), 400),
            ("getAlerts", _node.Http, new(HttpMethod.Get, "/api/alerts?open=maybe"), 400),
            ("getAudit", _node.Http, new(HttpMethod.Get, "/api/audit?limit=abc"), 400),
            ("postTeams", _node.Http, Text("x", "text/plain"), 415),
            ("postTeams", _node.Http, Text($"{{\"id\":\"{new string('x', 100_000)}\"}}", "application/json"), 413),
            ("postTeams", _node.Http, Json(HttpMethod.Post, "/api/teams", otherTeam), 409),
            ("getTeamsByTeamId", _node.Http, new(HttpMethod.Get, "/api/teams/NOPE-9"), 404),
            ("getFacilities", anonymous, new(HttpMethod.Get, "/api/facilities"), 401),
            ("postFacilities", monitor, Json(HttpMethod.Post, "/api/facilities", new { id = "adra", name = "Adra" }), 403),
        };
        var problem = _document["components"]!["schemas"]!["ProblemView"]!.AsObject();
        foreach (var (operationId, client, request, status) in refusals)
        {
            using var response = await client.SendAsync(request, ct);
            Assert.True(status == (int)response.StatusCode, $"{operationId}: {(int)response.StatusCode}, not {status}");
            var declared = Operations().Single(o => (string?)o.Operation["operationId"] == operationId).Operation["responses"]?[$"{status}"];
            Assert.True(declared is not null, $"{operationId} does not declare {status}");
            Assert.Equal("#/components/schemas/ProblemView", (string?)declared!["content"]?["application/problem+json"]?["schema"]?["$ref"]);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))!.AsObject();
            foreach (var off in OffSchema(body, problem)) Assert.Fail($"{operationId} {status}: {off} ({body.ToJsonString()})");
        }

        static HttpRequestMessage Json(HttpMethod method, string path, object body) =>
            new(method, path) { Content = JsonContent.Create(body) };
        static HttpRequestMessage Text(string body, string type) =>
            new(HttpMethod.Post, "/api/teams") { Content = new StringContent(body, System.Text.Encoding.UTF8, type) };
    }

    /// <summary>How an answer departs from an object schema of the document: undeclared members, required ones missing, wrong types.</summary>
    private static IEnumerable<string> OffSchema(JsonObject value, JsonObject schema)
    {
        var properties = schema["properties"]!.AsObject();
        foreach (var required in schema["required"]!.AsArray().Select(r => (string)r!))
            if (!value.ContainsKey(required)) yield return $"'{required}' is required but missing";
        foreach (var (name, member) in value)
        {
            if (properties[name] is not JsonObject declared)
            {
                yield return $"'{name}' is not declared";
                continue;
            }
            var types = declared["type"] switch
            {
                JsonArray many => many.Select(t => (string)t!).ToList(),
                JsonValue one => [(string)one!],
                _ => [],
            };
            var kind = member?.GetValueKind() switch
            {
                null or System.Text.Json.JsonValueKind.Null => "null",
                System.Text.Json.JsonValueKind.String => "string",
                System.Text.Json.JsonValueKind.Number => "integer",
                _ => "other",
            };
            if (!types.Contains(kind)) yield return $"'{name}' is {kind}, declared {string.Join('|', types)}";
            if (declared["enum"] is JsonArray words && !words.Any(w => (string?)w == (string?)member))
                yield return $"'{name}' = {member} is not one of its enum";
        }
    }

    [Fact]
    public async Task The_document_passes_Redocly_s_recommended_rules_with_no_error()
    {
        var tools = Path.Combine(Pages.RepositoryRoot, "tests", "contract");
        var redocly = Path.Combine(tools, "node_modules", "@redocly", "cli", "bin", "cli.js");
        Assert.True(File.Exists(redocly), $"Redocly's CLI is not installed: run 'npm ci' in {tools} (.ci/run does)");
        var folder = Directory.CreateTempSubdirectory("coord-openapi-").FullName;
        var document = Path.Combine(folder, "openapi.json");
        await File.WriteAllTextAsync(document, _document.ToJsonString(), TestContext.Current.CancellationToken);
        var start = new System.Diagnostics.ProcessStartInfo("node", [redocly, "lint", document, "--format=stylish"])
        {
            WorkingDirectory = tools,
            Environment = { ["REDOCLY_TELEMETRY"] = "off", ["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true" },
        };
        int exit;
        string said;
        try
        {
            var (code, output, errors) = await Command.RunAsync(start, TimeSpan.FromMinutes(2));
            (exit, said) = (code, output + errors);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
        Assert.True(exit == 0, said);
        // The warnings left: the project has not chosen a licence yet, and the document does not make one up; the stream's
        // event components are named by the stream's x-itemSchema, which OpenAPI 3.1 has no slot for (3.2's itemSchema).
        var warnings = Regex.Matches(said, @"warning\s+(\S+)\s+(.*)").Select(m => (Rule: m.Groups[1].Value, Text: m.Groups[2].Value)).ToList();
        Assert.Equal(["info-license", "no-unused-components"], warnings.Select(w => w.Rule).Distinct().Order());
        Assert.Equal(Enum.GetValues<ChangeKind>().Select(k => $"{k}Change").Order(), warnings.Where(w => w.Rule == "no-unused-components")
            .Select(w => Regex.Match(w.Text, "\"(\\w+)\"").Groups[1].Value).Order());
    }

    [Fact]
    public void A_stream_declares_its_ticket_Last_Event_ID_every_kind_of_event_and_TooManyStreams()
    {
        var streams = Operations().Where(o => o.Operation["responses"]?["200"]?["content"]?["text/event-stream"] is not null).ToList();
        Assert.Equal(["GET /api/family/stream", "GET /api/stream"], streams.Select(s => s.Route).Order());
        foreach (var (route, operation) in streams)
        {
            var parameters = operation["parameters"]!.AsArray().Select(p => p!.AsObject()).ToList();
            Assert.Contains(parameters, p => (string?)p["name"] == "ticket" && (string?)p["in"] == "query");
            var resume = Assert.Single(parameters, p => (string?)p["name"] == "Last-Event-ID");
            Assert.Equal("header", (string?)resume["in"]);
            Assert.Matches((string)resume["schema"]!["pattern"]!, "123-0");
            Assert.Contains("TooManyStreams", (string?)operation["responses"]!["429"]!["description"]);
            var framing = (string)operation["responses"]!["200"]!["description"]!;
            var family = route.Contains("/family/", StringComparison.Ordinal);
            var kinds = Enum.GetValues<Coordinator.Domain.Views.ChangeKind>()
                .Where(k => k.ToString().StartsWith("Family", StringComparison.Ordinal) == family);
            Assert.Equal(string.Join(", ", kinds.Select(k => $"{ChangeKinds.Name(k)} ({k}Change)")),
                Regex.Match(framing, @"Events: ([A-Za-z, ()-]+)\.").Groups[1].Value);
            var items = operation["responses"]!["200"]!["content"]!["text/event-stream"]!["x-itemSchema"]!["oneOf"]!.AsArray()
                .Select(i => (string?)i!["properties"]!["event"]!["const"]);
            Assert.Equal(kinds.Select(ChangeKinds.Name).Append("reset").Append("ended"), items);
            Assert.Contains("event: reset", framing);
            Assert.Contains("event: ended", framing);
            Assert.Contains("keep-alive", framing);
        }
    }

    [Fact]
    public void Each_kind_of_change_has_its_component_naming_its_event_and_the_data_its_kind_carries()
    {
        var schemas = _document["components"]!["schemas"]!.AsObject();
        Assert.Equal(Enum.GetValues<ChangeKind>().Select(k => $"{k}Change").Order(),
            schemas.Select(s => s.Key).Where(k => k.EndsWith("Change", StringComparison.Ordinal)).Order());
        foreach (var kind in Enum.GetValues<ChangeKind>())
        {
            var change = schemas[$"{kind}Change"]!;
            Assert.Equal([ChangeKinds.Name(kind)], change["properties"]!["kind"]!["enum"]!.AsArray().Select(w => (string?)w));
            Assert.Equal($"#/components/schemas/{ChangeKinds.DataOf(kind).Name}", (string?)change["properties"]!["data"]!["$ref"]);
            Assert.True(schemas.ContainsKey(ChangeKinds.DataOf(kind).Name), $"{kind}'s data has no component");
        }
    }

    [Fact]
    public void History_and_audit_entries_name_their_event_from_a_closed_list_and_type_its_data()
    {
        var schemas = _document["components"]!["schemas"]!.AsObject();
        var names = schemas["EventName"]!["enum"]!.AsArray().Select(w => (string)w!).ToList();
        Assert.Equal(Coordinator.Cluster.Serialization.Manifests.Events.Select(t => t.Name).Order(StringComparer.Ordinal), names);
        Assert.DoesNotContain(names, n => n.Contains('.', StringComparison.Ordinal) || n.Contains('`', StringComparison.Ordinal));
        foreach (var (entry, expected) in new[] { ("HistoryEntry", names.Where(n => IsSectorEvent(n))), ("AuditEntry", names) })
        {
            var properties = schemas[entry]!["properties"]!;
            Assert.Equal("#/components/schemas/EventName", (string?)properties["event"]!["$ref"]);
            var data = properties["data"]!["anyOf"]!.AsArray().Select(r => ((string)r!["$ref"]!).Split('/')[^1]).ToList();
            Assert.Equal(expected, data);
            Assert.All(data, d => Assert.True(schemas.ContainsKey(d), $"{entry}'s {d} has no component"));
        }
        var plan = schemas["SectorRequest"]!["properties"]!["plan"]!["oneOf"]!.AsArray();
        Assert.Contains(plan, p => (string?)p!["$ref"] == "#/components/schemas/SectorPlace");

        static bool IsSectorEvent(string name) => Coordinator.Cluster.Serialization.Manifests.Events
            .Single(t => t.Name == name).IsAssignableTo(typeof(Coordinator.Domain.Sectors.ISectorEvent));
    }

    [Fact]
    public void No_member_of_a_schema_is_left_untyped()
    {
        var untyped = new List<string>();
        Visit(_document["components"]!, "#/components");
        Visit(_document["paths"]!, "#/paths");
        Assert.Empty(untyped);

        void Visit(JsonNode? node, string where)
        {
            if (node is JsonArray list)
                for (var i = 0; i < list.Count; i++) Visit(list[i], $"{where}/{i}");
            if (node is not JsonObject o) return;
            if (o["properties"] is JsonObject properties)
                foreach (var (name, member) in properties)
                    if (member is JsonObject m && !m.Any(k => k.Key is "type" or "$ref" or "oneOf" or "anyOf" or "allOf" or "enum" or "const"))
                        untyped.Add($"{where}/properties/{name}");
            foreach (var (key, value) in o)
                if (!key.StartsWith("x-", StringComparison.Ordinal)) Visit(value, $"{where}/{key}"); // an extension is 3.2's form, not 3.1's
        }
    }

    [Fact]
    public void A_query_the_route_refuses_without_is_required_and_internal_members_are_not_on_the_wire()
    {
        var persons = Operations().Single(o => o.Route == "GET /api/persons").Operation;
        var query = persons["parameters"]!.AsArray().Single(p => (string?)p!["name"] == "query")!;
        Assert.True((bool?)query["required"] == true, "getPersons' query is required: the route refuses (400) a search without it");
        var schemas = _document["components"]!["schemas"]!.AsObject();
        foreach (var (schema, member) in new[] { ("PersonDetails", "isErased"), ("InquiryDetails", "isErased"), ("SectorPlace", "isValid") })
            Assert.False(schemas[schema]?["properties"]?.AsObject().ContainsKey(member) ?? true, $"{schema}.{member} is the domain's own");
    }

    [Fact]
    public async Task A_closed_set_or_a_range_in_the_document_is_what_the_node_refuses_outside_of()
    {
        Assert.Equal(201, (await _node.Post("/api/facilities", new { id = "adra", name = "Adra" })).Status);
        var checkedParameters = 0;
        foreach (var (route, operation) in Operations())
            foreach (var parameter in operation["parameters"]?.AsArray().Select(p => p!.AsObject()) ?? [])
            {
                var method = route.Split(' ')[0];
                // A query parameter a route checks before what it reads or changes: every GET, and the printed pages' links.
                if ((string?)parameter["in"] != "query" || method != "GET" && (string?)parameter["name"] != "lang") continue;
                var schema = parameter["schema"]!;
                string[] outside = schema["enum"] is JsonArray ? ["bogus"]
                    : schema["maximum"] is { } most ? [$"{(int)most + 1}", $"{(int)schema["minimum"]! - 1}"]
                    : [];
                var path = Regex.Replace(route[(method.Length + 1)..], "{facilityId}", "adra");
                path = Regex.Replace(path, "{[A-Za-z]+}", "x-1");
                // Every other parameter the route requires is given, so that the refusal is this parameter's.
                var required = operation["parameters"]!.AsArray().Where(p => (bool?)p!["required"] == true && (string?)p["in"] == "query")
                    .Select(p => $"&{p!["name"]}=x");
                foreach (var value in outside)
                {
                    var (status, body) = await _node.Send(new HttpMethod(method), $"{path}?{parameter["name"]}={value}{string.Concat(required)}");
                    Assert.True(status == 400, $"{route} ?{parameter["name"]}={value}: {status} {body?.ToJsonString()}");
                    Assert.Contains($"'{parameter["name"]}'", (string?)body?["detail"]);
                    checkedParameters++;
                }
            }
        Assert.True(checkedParameters >= 15, $"only {checkedParameters} values outside a declared set or range were sent");
        var inquiries = Operations().Single(o => o.Route == "GET /api/inquiries").Operation["parameters"]!.AsArray();
        var words = inquiries.Single(p => (string?)p!["name"] == "status")!["schema"]!["enum"]!.AsArray();
        Assert.Equal(["open", "closed", "all"], words.Select(w => (string)w!));
    }
}

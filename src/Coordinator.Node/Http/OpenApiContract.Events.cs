using System.Text.Json.Nodes;
using Coordinator.Cluster.Serialization;
using Coordinator.Domain.Facilities;
using Coordinator.Domain.Sectors;
using Coordinator.Domain.Views;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Coordinator.Node.Http;

/// <summary>
/// What a client reads or writes that the routes' own types do not say: each live-stream event's data, each journal event an
/// audit trail or a sector's history carries, a layout's plan; as components a generator makes types of.
/// </summary>
public static partial class OpenApiContract
{
    /// <summary>The component of a stream event's data: "SectorChange" for the stream's 'sector' event.</summary>
    public static string ChangeComponent(ChangeKind kind) => $"{kind}Change";

    /// <summary>The component listing the journal's event names, as history and audit entries name them.</summary>
    public const string EventName = "EventName";

    /// <summary>A journal event's name in the API: its domain name, which is also its component's.</summary>
    public static string NameOf(Type eventType) => eventType.Name;

    /// <summary>The journal's events, in the document's order (by name, so that it does not move between builds).</summary>
    private static readonly Type[] Recorded = [.. Manifests.Events.OrderBy(NameOf, StringComparer.Ordinal)];

    private static async Task Events(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken ct)
    {
        foreach (var kind in Enum.GetValues<ChangeKind>())
            document.AddComponent(ChangeComponent(kind), new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = $"The data of the stream's '{ChangeKinds.Name(kind)}' event",
                Properties = new Dictionary<string, IOpenApiSchema>
                {
                    ["kind"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [ChangeKinds.Name(kind)] },
                    ["facility"] = Text("The facility it happened in"),
                    ["sector"] = Text("The sector it happened in"),
                    ["team"] = Text("The team it concerns"),
                    ["data"] = await Component(ChangeKinds.DataOf(kind), document, context, ct),
                },
                Required = new HashSet<string> { "kind", "data" },
                AdditionalPropertiesAllowed = false,
            });

        document.AddComponent(EventName, new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Description = "A recorded event's name; its data is the component of the same name",
            Enum = [.. Recorded.Select(t => (System.Text.Json.Nodes.JsonNode)NameOf(t))],
        });
        foreach (var type in Recorded) await Component(type, document, context, ct);
        Entry(document, "HistoryEntry", [.. Recorded.Where(t => typeof(ISectorEvent).IsAssignableFrom(t))]);
        Entry(document, "AuditEntry", [.. Recorded]);
        document.Components?.Schemas?.Remove("JsonElement"); // AuditEntry's data was its one use

        // A layout's plan is read as it came (so that a wrong one is refused naming its sector), but it is a place all the same.
        if (Existing(document, nameof(SectorRequest)) is OpenApiSchema { Properties: { } sector })
            sector["plan"] = new OpenApiSchema
            {
                OneOf = [new OpenApiSchema { Type = JsonSchemaType.Null }, await Component(typeof(SectorPlace), document, context, ct)],
                Description = "Where the sector lies on its level's floor plan: a rectangle (x, y, w, h) in the unit the layout chose",
            };

        static OpenApiSchema Text(string description) => new() { Type = JsonSchemaType.String | JsonSchemaType.Null, Description = description };
    }

    /// <summary>
    /// Each event of a stream as OpenAPI 3.2's itemSchema gives it (3.1 has no slot for it): its name, and its data as JSON of
    /// the change component its name names.
    /// </summary>
    private static JsonNodeExtension ItemSchema(bool family) => new(new JsonObject
    {
        ["type"] = "object",
        ["required"] = new JsonArray("data"),
        ["properties"] = new JsonObject
        {
            ["id"] = new JsonObject { ["type"] = "string", ["pattern"] = EventId },
            ["event"] = new JsonObject { ["type"] = "string" },
            ["data"] = new JsonObject { ["type"] = "string" },
        },
        ["oneOf"] = new JsonArray([
            .. Enum.GetValues<ChangeKind>().Where(k => IsFamily(k) == family)
                .Select(k => Item(ChangeKinds.Name(k), new JsonObject { ["$ref"] = $"#/components/schemas/{ChangeComponent(k)}" })),
            Item("reset", Closing("oldestKept", new JsonObject { ["type"] = "integer", ["format"] = "int64" })),
            Item("ended", Closing("reason", new JsonObject { ["type"] = "string", ["enum"] = new JsonArray("TokenExpired", "TokenRevoked") })),
        ]),
    });

    private static JsonNode Item(string name, JsonObject data) => new JsonObject
    {
        ["properties"] = new JsonObject
        {
            ["event"] = new JsonObject { ["const"] = name },
            ["data"] = new JsonObject { ["contentMediaType"] = "application/json", ["contentSchema"] = data },
        },
    };

    /// <summary>The data of an event that ends the stream: one member saying why.</summary>
    private static JsonObject Closing(string member, JsonObject schema) => new()
    {
        ["type"] = "object",
        ["required"] = new JsonArray(member),
        ["properties"] = new JsonObject { [member] = schema },
        ["additionalProperties"] = false,
    };

    private static bool IsFamily(ChangeKind kind) => kind.ToString().StartsWith("Family", StringComparison.Ordinal);

    /// <summary>
    /// An entry's event named from the list, its data one of the events (the one its name names). Not a oneOf of
    /// name-and-data branches on the entry: NSwag's C# client does not compile from one.
    /// </summary>
    private static void Entry(OpenApiDocument document, string component, List<Type> events)
    {
        if (Existing(document, component) is not OpenApiSchema { Properties: { } properties }) return;
        properties["event"] = new OpenApiSchemaReference(EventName, document);
        properties["data"] = new OpenApiSchema
        {
            AnyOf = [.. events.Select(t => (IOpenApiSchema)new OpenApiSchemaReference(NameOf(t), document))],
            Description = "The event as recorded: the component its name names",
        };
    }

    private static IOpenApiSchema? Existing(OpenApiDocument document, string component) =>
        document.Components?.Schemas is { } schemas && schemas.TryGetValue(component, out var found) ? found : null;

    /// <summary>
    /// A type's schema as a reference to its component, added when the document has none yet; the types it holds are
    /// components too, by reference (the schema service writes them out inline here), so a client has one Author, one
    /// PersonDetails, wherever they appear.
    /// </summary>
    private static async Task<IOpenApiSchema> Component(Type type, OpenApiDocument document, OpenApiDocumentTransformerContext context,
        CancellationToken ct)
    {
        if (Existing(document, type.Name) is null)
        {
            var schema = await context.GetOrCreateSchemaAsync(type, null, ct);
            document.AddComponent(type.Name, schema);
            if (schema is OpenApiSchema { Properties: { } properties })
                foreach (var member in ApiJson.Options.GetTypeInfo(type).Properties)
                {
                    if (!properties.TryGetValue(member.Name, out var inline) || inline is not OpenApiSchema written) continue;
                    var nullable = member.IsGetNullable || Nullable.GetUnderlyingType(member.PropertyType) is not null;
                    if (ItemsOf(member.PropertyType) is { } item && IsRecord(item) && written.Items is not null)
                        written.Items = await Component(item, document, context, ct);
                    else if (IsRecord(Nullable.GetUnderlyingType(member.PropertyType) ?? member.PropertyType))
                    {
                        var held = await Component(Nullable.GetUnderlyingType(member.PropertyType) ?? member.PropertyType, document, context, ct);
                        properties[member.Name] = nullable
                            ? new OpenApiSchema { OneOf = [new OpenApiSchema { Type = JsonSchemaType.Null }, held] }
                            : held;
                    }
                }
        }
        return new OpenApiSchemaReference(type.Name, document);
    }

    /// <summary>One of ours written as a JSON object (a record of the domain or the contracts), not a word, a list or a map.</summary>
    private static bool IsRecord(Type type) =>
        type.Namespace?.StartsWith("Coordinator", StringComparison.Ordinal) == true && !type.IsEnum
        && ApiJson.Options.GetTypeInfo(type).Kind == System.Text.Json.Serialization.Metadata.JsonTypeInfoKind.Object;
}

using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using Coordinator.Domain;
using Coordinator.Node.Access;
using Coordinator.Node.Admin;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Coordinator.Node.Http;

/// <summary>
/// A refusal as every route answers it: RFC 7807 problem details with the reason code (one of <see cref="RefusalCode"/> or
/// <see cref="ProblemCode"/>, a string: a new rule brings a new code, which an older client must read) and the trace id the
/// node's log names the request by.
/// </summary>
public sealed record ProblemView(string Type, string Title, int Status, string? Detail, string Code, string? TraceId);

/// <summary>
/// The OpenAPI document as a contract a generated client can live by: every operation named, its refusals
/// declared with the problem schema that carries `code`, the bearer scheme on every route that needs a token, a
/// response field required only when the node always writes it, a request field only when the route refuses it
/// missing, enums as typed strings. ApiClientTests generates a client from it and runs the README's walk-through.
/// </summary>
public static partial class OpenApiContract
{
    public const string Bearer = "bearer";

    public static void Configure(OpenApiOptions o)
    {
        o.AddDocumentTransformer((document, _, _) =>
        {
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[Bearer] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "A token from POST /api/tokens or an enrolment (docs/security.md)",
            };
            return Task.CompletedTask;
        });
        o.AddOperationTransformer(async (operation, context, ct) =>
        {
            var description = context.Description;
            operation.OperationId ??= OperationId(description.HttpMethod ?? "GET", description.RelativePath ?? "");
            var document = context.Document!;
            if (document.Components?.Schemas?.ContainsKey(nameof(ProblemView)) != true)
                document.AddComponent(nameof(ProblemView), await context.GetOrCreateSchemaAsync(typeof(ProblemView), null, ct));
            var problem = new OpenApiSchemaReference(nameof(ProblemView), document);
            var metadata = description.ActionDescriptor.EndpointMetadata;
            var secured = metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any();
            operation.Responses ??= new OpenApiResponses();
            var streams = metadata.OfType<Microsoft.AspNetCore.Http.Metadata.IProducesResponseTypeMetadata>()
                .Any(p => p.ContentTypes.Contains("text/event-stream"));
            var input = Input(description.ParameterDescriptions);
            foreach (var (status, why) in Refusals(description.HttpMethod ?? "GET", description.RelativePath ?? "", secured, input, streams))
                operation.Responses.TryAdd(status, new OpenApiResponse
                {
                    Description = why,
                    Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() { Schema = problem } },
                });
            await Answers(operation, metadata, context, ct);
            if (streams) Stream(operation, family: (description.RelativePath ?? "").Contains("family/", StringComparison.Ordinal));
            CheckedParameters(operation, description.ParameterDescriptions);
            // An open route says so (security: []): no requirement at all would read as "not stated".
            operation.Security = secured ? [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Bearer, document)] = [] }] : [];
        });
        o.AddSchemaTransformer(async (schema, context, ct) =>
        {
            var type = context.JsonTypeInfo.Type;
            if ((Nullable.GetUnderlyingType(type) ?? type).IsEnum)
                TypedEnum(schema);
            else if (context.JsonPropertyInfo is null && type == typeof(string) && schema.Type is null && schema.Enum is null)
                schema.Type = JsonSchemaType.String; // a parameter: the API's string converter leaves the schema untyped
            if (context.JsonTypeInfo.Kind == JsonTypeInfoKind.Object && schema.Properties is { } properties)
                await Fields(schema, properties, context, ct);
        });
        o.AddDocumentTransformer(Events);
        o.AddDocumentTransformer((document, _, _) =>
        {
            foreach (var server in document.Servers ?? []) server.Url = server.Url?.TrimEnd('/'); // a path is joined to it with its own '/'
            foreach (var tag in document.Tags ?? new HashSet<OpenApiTag>())
                tag.Description ??= TagDescriptions.GetValueOrDefault(tag.Name ?? "");
            if (document.Components?.Schemas is { } schemas)
            {
                TypedStrings(document, schemas);
                SharedEnums(document, schemas);
                foreach (var schema in schemas.Values.OfType<OpenApiSchema>()) RequiredIsNeverNull(document, schema);
            }
            return Task.CompletedTask;
        });
    }

    /// <summary>A token's role, as tokens are issued and listed (lower case; case-insensitive when read).</summary>
    private const string Role = "Role";

    /// <summary>Fields written as free strings whose values are a closed set: published as the string enum component named.</summary>
    private static readonly (string Schema, string Property, string Component)[] ClosedStrings =
    [
        ("ImportRowView", "code", nameof(RefusalCode)),
        ("IssueTokenRequest", "role", Role),
        ("IssuedTokenView", "role", Role),
        ("TokenView", "role", Role),
    ];

    /// <summary>
    /// An enum as the API writes it: a string, one of its words; a nullable use says so where it is used (oneOf null), never in the list.
    /// </summary>
    private static void TypedEnum(OpenApiSchema schema)
    {
        schema.Type = JsonSchemaType.String;
        if (schema.Enum is { } words)
            foreach (var none in words.Where(w => w is null || w.GetValueKind() == System.Text.Json.JsonValueKind.Null).ToList()) words.Remove(none);
    }

    /// <summary>
    /// Each field of an object: typed (the API's own converters for strings and lists leave the schema untyped), nullable when
    /// its type is, and required when the node always writes it or the endpoint refuses it missing.
    /// </summary>
    private static async Task Fields(OpenApiSchema schema, IDictionary<string, IOpenApiSchema> properties, OpenApiSchemaTransformerContext context,
        CancellationToken ct)
    {
        var info = context.JsonTypeInfo;
        schema.Required ??= new HashSet<string>();
        foreach (var field in info.Properties)
        {
            if (!properties.TryGetValue(field.Name, out var property)) continue;
            var nullable = field.IsGetNullable || field.IsSetNullable || Nullable.GetUnderlyingType(field.PropertyType) is not null;
            // A request's fields are all nullable: only those it is refused without are required.
            var required = !nullable || field.AssociatedParameter?.AttributeProvider?.IsDefined(typeof(RequiredAttribute), false) == true;
            if (property is OpenApiSchema inline && inline.Type is null && inline.Enum is null && inline.OneOf is null && inline.AllOf is null)
            {
                var extra = nullable && !required ? JsonSchemaType.Null : 0;
                if (field.PropertyType == typeof(string)) inline.Type = JsonSchemaType.String | extra;
                else if (ItemsOf(field.PropertyType) is { } item && await Items(item, context, ct) is { } items)
                    (inline.Type, inline.Items) = (JsonSchemaType.Array | extra, items);
            }
            else if (property is OpenApiSchema { Type: { } t } list && t.HasFlag(JsonSchemaType.Array)
                     && list.Items is null or OpenApiSchema { Type: null, Enum: null }
                     && ItemsOf(field.PropertyType) is { } item && await Items(item, context, ct) is { } items)
                list.Items = items;
            if (required) schema.Required.Add(field.Name);
            else schema.Required.Remove(field.Name);
        }
    }

    private static Type? ItemsOf(Type type) =>
        type.IsArray ? type.GetElementType()
        : type.IsGenericType && type.GetGenericArguments() is [var item] && typeof(IEnumerable<>).MakeGenericType(item).IsAssignableFrom(type) ? item
        : null;

    /// <summary>
    /// The items of a list the API reads with its own converter (strings, sectors, persons): their schema (a component's, by reference, once
    /// resolved).
    /// </summary>
    private static async Task<IOpenApiSchema?> Items(Type item, OpenApiSchemaTransformerContext context, CancellationToken ct) =>
        item == typeof(string) ? new OpenApiSchema { Type = JsonSchemaType.String }
        : item == typeof(SectorRequest) || item == typeof(PersonRequest) ? await context.GetOrCreateSchemaAsync(item, null, ct)
        : null;

    private static void TypedStrings(OpenApiDocument document, IDictionary<string, IOpenApiSchema> schemas)
    {
        schemas.TryAdd(Role, new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Enum = [Roles.Lead, Roles.Field, Roles.Monitor, Roles.Admin, Roles.FamilyDesk],
        });
        foreach (var (name, property, component) in ClosedStrings)
            if (schemas.TryGetValue(name, out var found) && found is OpenApiSchema { Properties: { } properties }
                && properties.ContainsKey(property) && schemas.ContainsKey(component))
                properties[property] = new OpenApiSchemaReference(component, document);
    }

    /// <summary>
    /// An enum written out again inside a schema (as a type added by an operation transformer comes) is the enum's component,
    /// by reference: a client has one SectorStatus, not one per place it appears.
    /// </summary>
    private static void SharedEnums(OpenApiDocument document, IDictionary<string, IOpenApiSchema> schemas)
    {
        var enums = schemas.Where(s => s.Value is OpenApiSchema { Enum.Count: > 0 })
            .Select(s => (Id: s.Key, Words: Words((OpenApiSchema)s.Value))).ToList();
        foreach (var schema in schemas.Values) Visit(schema);

        void Visit(IOpenApiSchema schema)
        {
            if (schema is not OpenApiSchema o) return;
            if (o.Properties is { } properties)
                foreach (var name in properties.Keys.ToList()) properties[name] = Shared(properties[name]);
            if (o.Items is { } items) o.Items = Shared(items);
        }

        IOpenApiSchema Shared(IOpenApiSchema schema)
        {
            if (schema is OpenApiSchema { Enum.Count: > 0 } inline && enums.FirstOrDefault(e => e.Words == Words(inline)).Id is { } id)
                return new OpenApiSchemaReference(id, document);
            Visit(schema);
            return schema;
        }

        static string Words(OpenApiSchema schema) => string.Join(",", schema.Enum!.Select(w => w?.ToJsonString()));
    }

    /// <summary>A field that is required is never null: a null would be refused (a request) or is never written (a response).</summary>
    private static void RequiredIsNeverNull(OpenApiDocument document, OpenApiSchema schema)
    {
        if (schema is not { Properties: { } properties, Required: { } required }) return;
        foreach (var name in required)
        {
            if (!properties.TryGetValue(name, out var found) || found is not OpenApiSchema property) continue;
            if (property.Type is { } type && type.HasFlag(JsonSchemaType.Null)) property.Type = type & ~JsonSchemaType.Null;
            if (property.OneOf is [_, _] oneOf && oneOf.SingleOrDefault(s => s is OpenApiSchema { Type: JsonSchemaType.Null }) is { } none
                && oneOf.Single(s => s != none) is OpenApiSchemaReference { Reference.Id: { } id })
                properties[name] = new OpenApiSchemaReference(id, document);
        }
    }

    /// <summary>
    /// What a route answers, every form it has: a route that answers JSON or, when asked, CSV keeps its JSON schema beside
    /// text/csv (ApiExplorer keeps one of two Produces for a status); text answers (CSV, event streams) are streams of text (a
    /// client reads them as a file), and so is a backup; a CSV request body a string.
    /// </summary>
    private static async Task Answers(OpenApiOperation operation, IList<object> metadata, OpenApiOperationTransformerContext context,
        CancellationToken ct)
    {
        var document = context.Document!;
        foreach (var produces in metadata.OfType<Microsoft.AspNetCore.Http.Metadata.IProducesResponseTypeMetadata>())
        {
            var status = produces.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (operation.Responses!.GetValueOrDefault(status) is not OpenApiResponse response) continue;
            response.Content ??= new Dictionary<string, OpenApiMediaType>();
            foreach (var contentType in produces.ContentTypes.DefaultIfEmpty("application/json"))
            {
                if (response.Content.TryGetValue(contentType, out var existing) && existing.Schema is not null) continue;
                if (contentType.StartsWith("text/", StringComparison.Ordinal) || contentType == BackupEndpoints.SqliteContentType)
                    response.Content[contentType] =
                        new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } };
                else if (produces.Type is { } type && type != typeof(void) && type != typeof(IResult))
                    response.Content[contentType] = new OpenApiMediaType { Schema = await SchemaOf(type, document, context, ct) };
            }
        }
        if (operation.RequestBody is OpenApiRequestBody { Content: { } body } && body.ContainsKey("text/csv"))
            body["text/csv"] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String } };
    }

    /// <summary>
    /// A stream as a client must open and read it: with a bearer token or, from a browser's EventSource (which sends
    /// no header), a single-use ticket in the query; resumed with Last-Event-ID; its framing in the answer's description.
    /// </summary>
    private static void Stream(OpenApiOperation operation, bool family)
    {
        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = "ticket",
            In = ParameterLocation.Query,
            Description = "A single-use ticket from the stream's POST …/ticket, in place of the bearer token (an EventSource sends no header)",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String },
        });
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = "Last-Event-ID",
            In = ParameterLocation.Header,
            Description = "The id of the last event read (\"offset-index\"): the stream resumes after it, with exactly what was missed",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, Pattern = EventId },
        });
        foreach (var parameter in operation.Parameters.OfType<OpenApiParameter>().Where(p => p.Name == "lastEventId"))
        {
            parameter.Description = "As Last-Event-ID, for a first connection that cannot send the header";
            if (parameter.Schema is OpenApiSchema schema) schema.Pattern = EventId;
        }
        if (operation.Responses?.GetValueOrDefault("200") is not OpenApiResponse ok) return;
        ok.Description = StreamFraming(family);
        if (ok.Content?.TryGetValue("text/event-stream", out var content) == true && content is OpenApiMediaType events)
            events.Extensions = new Dictionary<string, IOpenApiExtension> { ["x-itemSchema"] = ItemSchema(family) };
    }

    private const string EventId = "^[0-9]+-[0-9]+$";

    /// <summary>
    /// A query parameter as the route checks it (itself, with its own words, so it is nullable in the handler): required,
    /// one of a closed set, or a whole number between bounds.
    /// </summary>
    private static void CheckedParameters(OpenApiOperation operation, IList<Microsoft.AspNetCore.Mvc.ApiExplorer.ApiParameterDescription> parameters)
    {
        foreach (var p in parameters)
        {
            if (p.ParameterDescriptor is not Microsoft.AspNetCore.Mvc.Infrastructure.IParameterInfoParameterDescriptor { ParameterInfo: var info }
                || operation.Parameters?.OfType<OpenApiParameter>().FirstOrDefault(x => x.Name == p.Name) is not { } declared)
                continue;
            if (info.IsDefined(typeof(RequiredAttribute), false)) declared.Required = true;
            if (declared.Schema is not OpenApiSchema schema) continue;
            if (info.GetCustomAttributes(typeof(OneOfAttribute), false) is [OneOfAttribute oneOf])
                schema.Enum = [.. oneOf.Words.Select(w => (System.Text.Json.Nodes.JsonNode)w)];
            if (info.GetCustomAttributes(typeof(BetweenAttribute), false) is [BetweenAttribute between])
                (schema.Minimum, schema.Maximum) = (Invariant(between.Least), Invariant(between.Most));
        }

        static string Invariant(int n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The stream's framing; its events are the change kinds of its audience (the family desk's are Family…).</summary>
    private static string StreamFraming(bool family) =>
        "Server-sent events (UTF-8). First a comment ': connected'; then one event per change, its id \"offset-index\", its " +
        "data JSON: the change's kind, facility, sector and team, and what changed, as the component named after the event " +
        "(SectorChange for 'sector'). Events: " + string.Join(", ", Enum.GetValues<Coordinator.Domain.Views.ChangeKind>()
            .Where(k => IsFamily(k) == family).Select(k => $"{ChangeKinds.Name(k)} ({ChangeComponent(k)})")) + ". " +
        "A comment ': keep-alive' when nothing happened for a while. " +
        "'event: reset' (data {\"oldestKept\": offset}) when Last-Event-ID is older than the node keeps: read the lists again and " +
        "reconnect without it; the stream then ends. 'event: ended' (data {\"reason\": \"TokenExpired\" or \"TokenRevoked\"}) " +
        "when the token ran out: sign in again rather than reconnect.";

    /// <summary>A type's schema as a reference to its component (added when the document has none yet); a list of them as an array.</summary>
    private static async Task<IOpenApiSchema> SchemaOf(Type type, OpenApiDocument document, OpenApiOperationTransformerContext context,
        CancellationToken ct)
    {
        if (ItemsOf(type) is { } item && item != typeof(string))
            return new OpenApiSchema { Type = JsonSchemaType.Array, Items = await SchemaOf(item, document, context, ct) };
        if (document.Components?.Schemas?.ContainsKey(type.Name) != true)
            document.AddComponent(type.Name, await context.GetOrCreateSchemaAsync(type, null, ct));
        return new OpenApiSchemaReference(type.Name, document);
    }

    /// <summary>
    /// "POST api/facilities/{facilityId}/sectors/{sectorId}/reopen" → "postFacilitiesByFacilityIdSectorsBySectorIdReopen": stable, unique per route.
    /// </summary>
    public static string OperationId(string method, string path)
    {
        var words = path.Split('/', StringSplitOptions.RemoveEmptyEntries)
            .Where(s => s != "api")
            .Select(s => s.StartsWith('{') ? "By" + Pascal(s.Trim('{', '}')) : Pascal(s));
        return method.ToLowerInvariant() + string.Concat(words);
    }

    private static string Pascal(string segment) =>
        string.Concat(Separators().Split(segment).Where(w => w.Length > 0).Select(w => char.ToUpperInvariant(w[0]) + w[1..]));

    /// <summary>What a route reads from its request: parameters (path, query, header) and a body.</summary>
    private readonly record struct Inputs(bool Parameters, bool Body);

    private static Inputs Input(IList<Microsoft.AspNetCore.Mvc.ApiExplorer.ApiParameterDescription> parameters) => new(
        parameters.Any(p => p.Source.Id is "Path" or "Query" or "Header"),
        parameters.Any(p => p.Source.Id is "Body" or "Form"));

    private static readonly Dictionary<string, string> TagDescriptions = new()
    {
        ["Access"] = "Tokens, their roles and revocation; enrolling a phone by QR code",
        ["Backups"] = "A consistent copy of the node's SQLite journal (on PostgreSQL, the database's own backup)",
        ["Cluster control"] = "The cluster's members: who is up, reachable, leaving; asking a member to leave or be downed",
        ["Facilities"] = "Facilities, their levels, blocks, cells and hidden spaces (layouts, previews); a sector's history; sign-off",
        ["Family desk"] = "Persons found, families' inquiries, candidate matches, the desk's work queue and its logged reads",
        ["Field reports"] = "What field units report from a sector: entered, cleared, blocked, hazard, persons and hidden spaces found",
        ["Health"] = "Liveness and readiness (whether the node answers, reaches its journal, has read what it needs); the operation's name",
        ["Live progress"] = "The board, its live changes as server-sent events, alerts, coverage, what keeps a facility open, printed reports",
        ["Teams"] = "Teams, their capabilities, shifts and briefings; assigning a team to a sector",
    };

    private static IEnumerable<(string Status, string Why)> Refusals(string method, string path, bool secured, Inputs input, bool streams)
    {
        if (input.Parameters || input.Body)
            yield return ("400", "The request is invalid: the problem names the field (InvalidField, InvalidId, CursorInvalid…)");
        if (secured)
        {
            yield return ("401", "No token, or one that is expired, revoked or not ours (SignInNeeded)");
            yield return ("403", "The token's role may not do this (NotAllowed, NotYourTeam, AdminOnly)");
        }
        if (path.Contains('{') || method != "GET")
            yield return ("404", "What the path or the body names does not exist (FacilityNotFound, SectorNotFound, TeamNotFound…)");
        if (method != "GET") yield return ("409", "The rules refuse it in the current state: the problem's code says which rule");
        if (input.Body)
        {
            yield return ("413", "The request body is larger than the node takes (BodyTooLarge, TooManyRows)");
            yield return ("415", "The body is not in a form the route reads (UnsupportedMediaType)");
        }
        yield return ("414", "The path and query are longer than the node takes (UriTooLong)");
        if (!("/" + path).StartsWith(Access.AccessSetup.Unlimited, StringComparison.Ordinal))
            yield return ("429", streams
                ? "This token holds as many streams open as it may (TooManyStreams), or made too many requests (TooManyRequests)"
                : "Too many requests with this token (TooManyRequests)");
        yield return ("431", "The header fields are more or larger than the node takes (HeadersTooLarge)");
        yield return ("500", "The node failed on something it did not expect (Unexpected): the trace id names it in the node's log");
        yield return ("503", "The node cannot reach the journal or is still reading it (Unavailable); retry");
    }

    [GeneratedRegex("[^A-Za-z0-9]+")]
    private static partial Regex Separators();
}

using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Coordinator.Node.Api;

/// <summary>A refusal as every route answers it: RFC 7807 problem details with the reason code.</summary>
public sealed record ProblemView(string Type, string Title, int Status, string? Detail, string Code);

/// <summary>
/// The OpenAPI document as a contract a generated client can live by: every operation named, its refusals
/// declared with the problem schema that carries `code`, the bearer scheme on every route that needs a token, and
/// a field required only when the node always writes it.
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
            foreach (var (status, why) in Refusals(description.HttpMethod ?? "GET", description.RelativePath ?? "", secured))
                operation.Responses.TryAdd(status, new OpenApiResponse
                {
                    Description = why,
                    Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() { Schema = problem } },
                });
            if (secured)
                operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Bearer, document)] = [] }];
        });
        o.AddSchemaTransformer((schema, _, _) =>
        {
            // The node leaves out a field that is null: such a field cannot be required.
            if (schema.Properties is { } properties && schema.Required is { } required)
                foreach (var (name, property) in properties)
                    if (property.Type is { } type && type.HasFlag(JsonSchemaType.Null)) required.Remove(name);
            return Task.CompletedTask;
        });
    }

    /// <summary>"POST api/facilities/{facilityId}/sectors/{sectorId}/reopen" → "postFacilitiesByFacilityIdSectorsBySectorIdReopen": stable, unique per route.</summary>
    public static string OperationId(string method, string path)
    {
        var words = path.Split('/', StringSplitOptions.RemoveEmptyEntries)
            .Where(s => s != "api")
            .Select(s => s.StartsWith('{') ? "By" + Pascal(s.Trim('{', '}')) : Pascal(s));
        return method.ToLowerInvariant() + string.Concat(words);
    }

    private static string Pascal(string segment) =>
        string.Concat(Separators().Split(segment).Where(w => w.Length > 0).Select(w => char.ToUpperInvariant(w[0]) + w[1..]));

    private static IEnumerable<(string Status, string Why)> Refusals(string method, string path, bool secured)
    {
        if (method != "GET" || path.Contains('{') || path.Contains('?')) yield return ("400", "The request is invalid: the problem names the field (InvalidField, InvalidId…)");
        if (secured)
        {
            yield return ("401", "No token, or one that is expired, revoked or not ours (SignInNeeded)");
            yield return ("403", "The token's role may not do this (NotAllowed, NotYourTeam, AdminOnly)");
        }
        if (path.Contains('{')) yield return ("404", "What the path names does not exist (FacilityNotFound, SectorNotFound…)");
        if (method != "GET") yield return ("409", "The rules refuse it in the current state: the problem's code says which rule");
        yield return ("429", "Too many requests with this token (TooManyRequests)");
        yield return ("503", "The node cannot reach the journal or is still reading it (Unavailable); retry");
    }

    [GeneratedRegex("[^A-Za-z0-9]+")]
    private static partial Regex Separators();
}

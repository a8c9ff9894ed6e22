using System.Text.Json.Nodes;

namespace Coordinator.Node.Tests.Support;

/// <summary>The operations of an OpenAPI document, each named by its method and route.</summary>
public static class OpenApiDocument
{
    public static IEnumerable<(string Route, JsonObject Operation)> Operations(JsonObject document) =>
        from path in document["paths"]!.AsObject()
        from op in path.Value!.AsObject()
        where op.Key is "get" or "post" or "put" or "delete" or "patch"
        select ($"{op.Key.ToUpperInvariant()} {path.Key}", op.Value!.AsObject());
}

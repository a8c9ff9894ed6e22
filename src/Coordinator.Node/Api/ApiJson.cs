using System.Text.Json;
using System.Text.Json.Serialization;

namespace Coordinator.Node.Api;

/// <summary>The API's JSON: camelCase, enums as the domain's words (case-insensitive in, never numbers), bounded depth.</summary>
public static class ApiJson
{
    public const int MaxDepth = 32;

    public static void Configure(JsonSerializerOptions o)
    {
        o.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        o.PropertyNameCaseInsensitive = true;
        o.MaxDepth = MaxDepth;
        o.Converters.Add(new JsonStringEnumConverter(allowIntegerValues: false));
        o.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        o.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        // Names in Arabic stay readable; what is unsafe in HTML is still escaped.
        o.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All);
    }

    public static readonly JsonSerializerOptions Options = Create();

    private static JsonSerializerOptions Create()
    {
        var o = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Configure(o);
        return o;
    }
}

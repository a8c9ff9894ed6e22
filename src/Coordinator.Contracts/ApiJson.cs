using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Coordinator.Domain;

namespace Coordinator.Contracts;

/// <summary>
/// The API's JSON, for the node and its clients alike: camelCase, enums as the domain's words (case-insensitive in, never numbers), numbers as
/// numbers, bounded depth.
/// </summary>
public static class ApiJson
{
    public const int MaxDepth = 32;

    public static void Configure(JsonSerializerOptions o)
    {
        o.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        o.PropertyNameCaseInsensitive = true;
        o.MaxDepth = MaxDepth;
        o.NumberHandling = JsonNumberHandling.Strict; // "size":"3" is refused, and the document types numbers as numbers
        o.Converters.Add(new JsonStringEnumConverter<Coordinator.Domain.Views.ChangeKind>(ChangeKinds.Naming, allowIntegerValues: false));
        o.Converters.Add(new JsonStringEnumConverter(allowIntegerValues: false));
        o.Converters.Add(new ComposedText());
        // A null inside a list of names, sectors or persons is refused where it is read (RequestBody names its path).
        o.Converters.Add(new NoNullsArray<string>());
        o.Converters.Add(new NoNullsArray<SectorRequest>());
        o.Converters.Add(new NoNullsArray<PersonRequest>());
        o.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        o.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        o.TypeInfoResolver = (o.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver()).WithAddedModifier(LeaveOutInternal);
        // Names in Arabic stay readable; what is unsafe in HTML is still escaped.
        o.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All);
    }

    public static readonly JsonSerializerOptions Options = Create();

    /// <summary>
    /// Members the domain works out for itself (whether details are the erased marker, whether a plan's shape holds, which
    /// status a refusal gets): not the API's, which says the same in its own words (`erased`, a layout's refusal, the status).
    /// </summary>
    private static readonly (Type Type, string Member)[] Internal =
    [
        (typeof(Coordinator.Domain.Family.PersonDetails), nameof(Coordinator.Domain.Family.PersonDetails.IsErased)),
        (typeof(Coordinator.Domain.Family.InquiryDetails), nameof(Coordinator.Domain.Family.InquiryDetails.IsErased)),
        (typeof(Coordinator.Domain.Facilities.SectorPlace), nameof(Coordinator.Domain.Facilities.SectorPlace.IsValid)),
        (typeof(Coordinator.Domain.Refusal), nameof(Coordinator.Domain.Refusal.IsNotFound)),
        (typeof(Coordinator.Domain.Refusal), nameof(Coordinator.Domain.Refusal.IsInvalid)),
    ];

    private static void LeaveOutInternal(JsonTypeInfo info)
    {
        if (info.Kind != JsonTypeInfoKind.Object) return;
        for (var k = info.Properties.Count - 1; k >= 0; k--)
            if (Internal.Contains((info.Type, info.Properties[k].AttributeProvider is System.Reflection.MemberInfo m ? m.Name : "")))
                info.Properties.RemoveAt(k);
    }

    private static JsonSerializerOptions Create()
    {
        var o = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Configure(o);
        return o;
    }
}

/// <summary>
/// Every string a request carries, in NFC: a name typed with an alef and a separate hamza is stored, shown and matched
/// as the one letter another phone types.
/// </summary>
public sealed class ComposedText : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetString() is { } text ? Coordinator.Domain.Unicode.Nfc.Normalize(text) : null;

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}

/// <summary>An array whose items may not be null: a null item is a JsonException at its path, never a null the code meets later.</summary>
public sealed class NoNullsArray<T> : JsonConverter<T[]> where T : class
{
    public const string Message = "must not contain null";

    public override T[]? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null) return null;
        if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException($"expected an array of {typeof(T).Name}");
        var items = new List<T>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            items.Add(reader.TokenType == JsonTokenType.Null ? throw new JsonException(Message)
                : JsonSerializer.Deserialize<T>(ref reader, options)!);
        return [.. items];
    }

    public override void Write(Utf8JsonWriter writer, T[] value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var item in value) JsonSerializer.Serialize(writer, item, options);
        writer.WriteEndArray();
    }
}

using System.Collections.Immutable;
using System.IO.Compression;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Coordinator.Cluster.Serialization;
using Coordinator.Domain.Family;

namespace Coordinator.Cluster.Views;

/// <summary>
/// A projection's state as checkpoint bytes: JSON (the events' own serializer options), compressed, and sealed with a
/// key of its own when the state holds personal data. The shape is a fingerprint of the state's types, so a checkpoint
/// written by a version whose records differ is recognised as such and rebuilt rather than half-read.
/// </summary>
public static class CheckpointCodec
{
    private static readonly JsonSerializerOptions Options = new(EventSerializer.Options)
    {
        TypeInfoResolver = StoredShapes.Resolver.WithAddedModifier(LeaveOutComputed),
        Converters = { new WorkQueueConverter(), new FamilyDeskConverter() },
    };

    /// <summary>How the converters below write a state: a checkpoint written another way has another shape.</summary>
    private const string Format = "4";

    public static string ShapeOf(Type type)
    {
        var text = new StringBuilder(Format);
        Describe(type, text, []);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }

    public static byte[] Encode<TState>(TState state, byte[]? key, string? keyRecord)
    {
        using var packed = new MemoryStream();
        using (var zip = new ZLibStream(packed, CompressionLevel.Fastest, leaveOpen: true))
            JsonSerializer.Serialize(zip, state, Options);
        var bytes = packed.ToArray();
        return key is null ? bytes : SealedDetails.Encrypt(key, keyRecord!, bytes);
    }

    public static TState Decode<TState>(byte[] bytes, byte[]? key, string? keyRecord)
    {
        var packed = key is null ? bytes : SealedDetails.Decrypt(key, keyRecord!, bytes);
        using var zip = new ZLibStream(new MemoryStream(packed), CompressionMode.Decompress);
        return JsonSerializer.Deserialize<TState>(zip, Options) ?? throw new JsonException("an empty checkpoint");
    }

    /// <summary>
    /// A member worked out from the others (a profile's name keys, an inquiry's stage) is not state: written out it was
    /// computed for every record at every checkpoint, most of the desk's bytes and allocations, and read back it is ignored.
    /// </summary>
    private static void LeaveOutComputed(JsonTypeInfo info)
    {
        if (info.Kind != JsonTypeInfoKind.Object || !IsOurs(info.Type)) return;
        var parameters = info.Type.GetConstructors().SelectMany(c => c.GetParameters()).Select(p => p.Name)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        for (var k = info.Properties.Count - 1; k >= 0; k--)
            if (info.Properties[k] is { Set: null } computed && !parameters.Contains(computed.Name)) info.Properties.RemoveAt(k);
    }

    private static bool IsOurs(Type type) => type.Namespace?.StartsWith("Coordinator", StringComparison.Ordinal) == true;

    /// <summary>Our records by their public properties (sorted), enums by their members, everything else by its name.</summary>
    private static void Describe(Type type, StringBuilder text, HashSet<Type> seen)
    {
        text.Append(type.IsGenericType ? type.GetGenericTypeDefinition().FullName : type.FullName);
        if (type.IsGenericType)
        {
            text.Append('<');
            foreach (var argument in type.GetGenericArguments()) Describe(argument, text.Append(','), seen);
            text.Append('>');
        }
        if (type.IsArray) Describe(type.GetElementType()!, text.Append('['), seen);
        if (type.IsEnum) text.Append('{').AppendJoin(',', Enum.GetNames(type)).Append('}');
        if (!IsOurs(type) || type.IsEnum || !seen.Add(type)) return;
        text.Append('{');
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            if (property.GetIndexParameters().Length > 0) continue;
            text.Append(property.Name).Append(':');
            Describe(property.PropertyType, text, seen);
            text.Append(';');
        }
        text.Append('}');
    }
}

/// <summary>
/// The desk's work queue keeps its lists in sorted sets with orders of their own, which a plain JSON reader would not
/// give them back: its lists are written as arrays and read back into the queue's own empty sets.
/// </summary>
internal sealed class WorkQueueConverter : JsonConverter<WorkQueue>
{
    private sealed record Stored(StrongPair[] Strong, ImmutableDictionary<string, ImmutableDictionary<string, int>> StrongByInquiry,
        ImmutableDictionary<string, ImmutableHashSet<string>> StrongByPerson, Touched[] Open, Touched[] ToInform);

    public override WorkQueue Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var stored = JsonSerializer.Deserialize<Stored>(ref reader, options) ?? throw new JsonException("an empty work queue");
        return new WorkQueue(WorkQueue.Empty.Strong.Union(stored.Strong), stored.StrongByInquiry, stored.StrongByPerson,
            WorkQueue.Empty.Open.Union(stored.Open), WorkQueue.Empty.ToInform.Union(stored.ToInform));
    }

    public override void Write(Utf8JsonWriter writer, WorkQueue value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer,
            new Stored([.. value.Strong], value.StrongByInquiry, value.StrongByPerson, [.. value.Open], [.. value.ToInform]), options);
}

/// <summary>
/// The family desk by its records and queue alone: the profiles and key indexes are worked out again when it is read
/// (<see cref="FamilyDesk.FromRecords"/>). Written out, the indexes held each profile once per name key and the profiles
/// were most of the rest: most of the checkpoint's bytes and of its reading time.
/// </summary>
internal sealed class FamilyDeskConverter : JsonConverter<FamilyDesk>
{
    private sealed record Stored(RecordedPerson[] Persons, Inquiry[] Inquiries, WorkQueue Queue);

    public override FamilyDesk Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var stored = JsonSerializer.Deserialize<Stored>(ref reader, options) ?? throw new JsonException("an empty family desk");
        return FamilyDesk.FromRecords(stored.Persons, stored.Inquiries, stored.Queue);
    }

    public override void Write(Utf8JsonWriter writer, FamilyDesk value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer,
            new Stored([.. value.Persons.Values.Select(p => p with { Profile = Profile.None })], [.. value.Inquiries.Values], value.Queue), options);
}

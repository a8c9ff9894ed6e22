using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Coordinator.Domain.Family;
using Coordinator.Domain.Sectors;

namespace Coordinator.Cluster.Serialization;

/// <summary>
/// Seals the identifying details in the events and snapshots that carry them: each PersonDetails or
/// InquiryDetails object (every field: names, other names, parents' names, birth year, age, home town,
/// condition, where taken, last seen, contact) is replaced in the JSON by {"Sealed": base64(nonce, tag,
/// AES-256-GCM ciphertext)} under its record's key, bound to the record's id. Opened without the key, it reads as
/// the erased marker. Only these types pass through here: every other event is serialized as before.
/// </summary>
public static class SealedDetails
{
    public const string Property = "Sealed";
    private const int NonceBytes = 12, TagBytes = 16;
    private static readonly byte[] SealedMark = Encoding.UTF8.GetBytes($"\"{Property}\"");

    /// <summary>Whether values of this type may carry details to seal.</summary>
    public static bool Carries(object o) => o switch
    {
        PersonsFound { Persons.Length: > 0 } or PersonRecordCorrected or InquiryRegistered => true,
        Sector { Persons: not null } => true,
        Inquiry { Details: not null } => true,
        _ => false,
    };

    public static bool CarriesType(Type type) =>
        type == typeof(PersonsFound) || type == typeof(PersonRecordCorrected) || type == typeof(InquiryRegistered) || type == typeof(Sector)
            || type == typeof(Inquiry);

    public static byte[] Seal(object o, PersonalDataKeys keys)
    {
        var root = JsonSerializer.SerializeToNode(o, o.GetType(), EventSerializer.Options)!.AsObject();
        // The erased marker is written as it is: sealing it would make a key for a record whose key was deleted.
        var slots = Slots(o.GetType(), root)
            .Where(s => s.Holder[s.Name] is JsonObject details && (string?)details["Name"] != PersonDetails.ErasedName).ToList();
        var recordKeys = keys.KeysFor([.. slots.Select(s => s.Record)]);
        foreach (var (holder, name, record) in slots)
            holder[name] = new JsonObject
            {
                [Property] = Convert.ToBase64String(Encrypt(recordKeys[record], record,
                    Encoding.UTF8.GetBytes(holder[name]!.ToJsonString(EventSerializer.Options))))
            };
        return JsonSerializer.SerializeToUtf8Bytes(root, EventSerializer.Options);
    }

    /// <summary>Whether these bytes hold sealed details (plain events, written before sealing, do not).</summary>
    public static bool IsSealed(ReadOnlySpan<byte> bytes) => bytes.IndexOf(SealedMark) >= 0;

    public static object Open(byte[] bytes, Type type, PersonalDataKeys? keys)
    {
        var root = JsonNode.Parse(bytes)!.AsObject();
        foreach (var (holder, name, record) in Slots(type, root).ToList())
        {
            if (holder[name] is not JsonObject details || (string?)details[Property] is not { } sealedText) continue;
            var key = keys?.KeyOf(record);
            holder[name] = key is null
                ? Erased(record)
                : JsonNode.Parse(Decrypt(key, record, Convert.FromBase64String(sealedText)));
        }
        return root.Deserialize(type, EventSerializer.Options) ?? throw new JsonException($"empty {type.Name}");
    }

    private static JsonNode Erased(string record) => record.StartsWith("inquiry:", StringComparison.Ordinal)
        ? JsonSerializer.SerializeToNode(InquiryDetails.Erased, EventSerializer.Options)!
        : JsonSerializer.SerializeToNode(PersonDetails.Erased, EventSerializer.Options)!;

    /// <summary>Where each type holds details, and the record they belong to.</summary>
    private static IEnumerable<(JsonObject Holder, string Name, string Record)> Slots(Type type, JsonObject root)
    {
        if (type == typeof(PersonsFound) && root["Persons"] is JsonArray persons)
        {
            foreach (var p in persons.OfType<JsonObject>())
                yield return (p, "Details", PersonalDataKeys.PersonRecord((string)p["Id"]!));
        }
        else if (type == typeof(PersonRecordCorrected))
            yield return (root, "Details", PersonalDataKeys.PersonRecord((string)root["Person"]!));
        else if (type == typeof(InquiryRegistered))
            yield return (root, "Details", PersonalDataKeys.InquiryRecord((string)root["Inquiry"]!));
        else if (type == typeof(Inquiry) && root["Details"] is JsonObject)
            yield return (root, "Details", PersonalDataKeys.InquiryRecord((string)root["Id"]!));
        else if (type == typeof(Sector) && root["Persons"] is JsonObject named)
        {
            foreach (var id in named.Select(kv => kv.Key).ToList())
                yield return (named, id, PersonalDataKeys.PersonRecord(id));
        }
    }

    internal static byte[] Encrypt(byte[] key, string record, byte[] plain)
    {
        var sealedBytes = new byte[NonceBytes + TagBytes + plain.Length];
        var nonce = sealedBytes.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagBytes);
        aes.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceBytes + TagBytes), sealedBytes.AsSpan(NonceBytes, TagBytes),
            Encoding.UTF8.GetBytes(record));
        return sealedBytes;
    }

    internal static byte[] Decrypt(byte[] key, string record, byte[] sealedBytes)
    {
        var plain = new byte[sealedBytes.Length - NonceBytes - TagBytes];
        using var aes = new AesGcm(key, TagBytes);
        aes.Decrypt(sealedBytes.AsSpan(0, NonceBytes), sealedBytes.AsSpan(NonceBytes + TagBytes), sealedBytes.AsSpan(NonceBytes, TagBytes), plain,
            Encoding.UTF8.GetBytes(record));
        return plain;
    }
}

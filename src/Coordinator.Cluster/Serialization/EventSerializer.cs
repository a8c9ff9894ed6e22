using System.Text.Json;
using System.Text.Json.Serialization;
using Akka.Actor;
using System.Runtime.Serialization;
using Akka.Serialization;

namespace Coordinator.Cluster.Serialization;

/// <summary>
/// Events and snapshots as UTF-8 JSON under the explicit manifests of <see cref="Manifests"/>: readable in the
/// database, independent of .NET type names, and checked against a committed golden journal by the tests.
/// </summary>
public sealed class EventSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    public const int Id = 4_242;

    public static readonly JsonSerializerOptions Options = new()
    {
        Converters = { new JsonStringEnumConverter() },
        IgnoreReadOnlyProperties = true, // derived values (Registered, Holds…) are recomputed, not stored
    };

    public override int Identifier => Id;

    public override string Manifest(object o) =>
        Manifests.Names.TryGetValue(o.GetType(), out var name)
            ? name
            : throw new ArgumentException($"{o.GetType().FullName} has no manifest in {nameof(Manifests)}: add one before persisting it");

    public override byte[] ToBinary(object obj) => JsonSerializer.SerializeToUtf8Bytes(obj, obj.GetType(), Options);

    public override object FromBinary(byte[] bytes, string manifest) =>
        Manifests.Types.TryGetValue(manifest, out var type)
            ? JsonSerializer.Deserialize(bytes, type, Options) ?? throw new SerializationException($"empty payload for {manifest}")
            : throw new SerializationException($"unknown manifest '{manifest}'");
}

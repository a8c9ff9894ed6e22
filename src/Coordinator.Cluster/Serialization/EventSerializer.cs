using System.Runtime.Serialization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Akka.Actor;
using Akka.Serialization;

namespace Coordinator.Cluster.Serialization;

/// <summary>
/// Events and snapshots as UTF-8 JSON under the explicit manifests of <see cref="Manifests"/>: readable in the
/// database, independent of .NET type names, and checked against a committed golden journal by the tests.
/// Persons' and inquiries' details are sealed under per-record keys (<see cref="SealedDetails"/>) where the
/// system has a key store; events without them take the plain path, untouched.
/// </summary>
public sealed class EventSerializer(ExtendedActorSystem system) : SerializerWithStringManifest(system)
{
    private readonly PersonalDataKeys? _keys = PersonalDataKeys.Of(system);

    public const int Id = 4_242;

    public static readonly JsonSerializerOptions Options = new()
    {
        Converters = { new JsonStringEnumConverter() },
        IgnoreReadOnlyProperties = true, // derived values (Registered, Holds…) are recomputed, not stored
        TypeInfoResolver = StoredShapes.Resolver,
    };

    public override int Identifier => Id;

    public override string Manifest(object o) =>
        Manifests.Names.TryGetValue(o.GetType(), out var name)
            ? name
            : throw new ArgumentException($"{o.GetType().FullName} has no manifest in {nameof(Manifests)}: add one before persisting it");

    public override byte[] ToBinary(object obj) =>
        _keys is not null && SealedDetails.Carries(obj)
            ? SealedDetails.Seal(obj, _keys)
            : JsonSerializer.SerializeToUtf8Bytes(obj, obj.GetType(), Options);

    public override object FromBinary(byte[] bytes, string manifest)
    {
        if (!Manifests.Types.TryGetValue(manifest, out var type)) throw new SerializationException($"unknown manifest '{manifest}'");
        // Without its key (erased), sealed details read as the erased marker: never an exception.
        if (SealedDetails.CarriesType(type) && SealedDetails.IsSealed(bytes)) return SealedDetails.Open(bytes, type, _keys);
        return JsonSerializer.Deserialize(bytes, type, Options) ?? throw new SerializationException($"empty payload for {manifest}");
    }
}

using System.Collections;
using System.Collections.Frozen;
using System.Text.Json.Serialization.Metadata;
using Coordinator.Domain;
using Coordinator.Domain.Facilities;
using Coordinator.Domain.Family;
using Coordinator.Domain.Sectors;
using Coordinator.Domain.Teams;

namespace Coordinator.Cluster.Serialization;

/// <summary>
/// What the stored JSON knows and the domain records need not: members added after journals were first written
/// are left out while they hold nothing, so every event and snapshot stored before they existed reads back (the
/// member takes its default), and is written again, exactly as it was (the golden journal holds one of each).
/// </summary>
public static class StoredShapes
{
    /// <summary>Collections: left out while empty; a record without them reads back empty.</summary>
    private static readonly FrozenSet<(Type Type, string Member)> LeftOutWhileEmpty = new (Type, string)[]
    {
        (typeof(Sector), nameof(Sector.Persons)),
        (typeof(Sector), nameof(Sector.AcknowledgedAlerts)),
        (typeof(PersonsFound), nameof(PersonsFound.Persons)),
    }.ToFrozenSet();

    /// <summary>Optional values: left out while null; a record without them reads back null.</summary>
    private static readonly FrozenSet<(Type Type, string Member)> LeftOutWhileNull = new (Type, string)[]
    {
        (typeof(SectorDefinition), nameof(SectorDefinition.Plan)),
        (typeof(Team), nameof(Team.OnDutySince)),
        (typeof(Inquiry), nameof(Inquiry.Case)),
        (typeof(Inquiry), nameof(Inquiry.ClosedAt)),
    }.ToFrozenSet();

    public static readonly IJsonTypeInfoResolver Resolver = new DefaultJsonTypeInfoResolver { Modifiers = { LeaveOutNewMembers } };

    private static void LeaveOutNewMembers(JsonTypeInfo info)
    {
        if (info.Kind != JsonTypeInfoKind.Object) return;
        foreach (var property in info.Properties)
            if (LeftOutWhileEmpty.Contains((info.Type, property.Name)))
                property.ShouldSerialize = static (_, value) => value is ICollection { Count: > 0 };
            else if (LeftOutWhileNull.Contains((info.Type, property.Name)))
                property.ShouldSerialize = static (_, value) => value is not null;
    }
}

using System.Collections.Frozen;
using System.Reflection;
using System.Text.Json.Serialization.Metadata;
using Coordinator.Domain;
using Coordinator.Domain.Facilities;
using Coordinator.Domain.Family;
using Coordinator.Domain.Sectors;
using Coordinator.Domain.Teams;

namespace Coordinator.Cluster.Serialization;

/// <summary>
/// What the stored JSON knows and the domain records need not: members added after journals were first written
/// are left out while null, so every event and snapshot stored before they existed reads back, and is written
/// again, exactly as it was (the golden journal holds one of each); conveniences over a member are never written.
/// </summary>
public static class StoredShapes
{
    private static readonly FrozenSet<(Type Type, string Member)> LeftOutWhileNull = new (Type, string)[]
    {
        (typeof(Sector), nameof(Sector.Persons)),
        (typeof(Sector), nameof(Sector.AcknowledgedAlerts)),
        (typeof(PersonsFound), nameof(PersonsFound.Persons)),
        (typeof(SectorDefinition), nameof(SectorDefinition.Plan)),
        (typeof(Team), nameof(Team.OnDutySince)),
        (typeof(Inquiry), nameof(Inquiry.Case)),
        (typeof(Inquiry), nameof(Inquiry.ClosedAt)),
    }.ToFrozenSet();

    public static readonly IJsonTypeInfoResolver Resolver =
        new DefaultJsonTypeInfoResolver { Modifiers = { LeaveOutConveniences, LeaveOutNewMembersWhileNull } };

    private static void LeaveOutConveniences(JsonTypeInfo info)
    {
        if (info.Kind != JsonTypeInfoKind.Object) return;
        for (var i = info.Properties.Count - 1; i >= 0; i--)
            if (info.Properties[i].AttributeProvider is PropertyInfo property && Conveniences.IsConvenience(info.Type, property.Name))
                info.Properties.RemoveAt(i);
    }

    private static void LeaveOutNewMembersWhileNull(JsonTypeInfo info)
    {
        if (info.Kind != JsonTypeInfoKind.Object) return;
        foreach (var property in info.Properties)
            if (LeftOutWhileNull.Contains((info.Type, property.Name)))
                property.ShouldSerialize = static (_, value) => value is not null;
    }
}

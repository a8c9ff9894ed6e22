using System.Collections.Immutable;

namespace Coordinator.Domain.Facilities;

/// <summary>A sector as the facility's plan defines it. Immutable once recorded.</summary>
public sealed record SectorDefinition(string Id, string? Parent, SectorKind Kind, string Name, ImmutableArray<Capability> Needs)
{
    public const int MaxNameLength = 200;

    /// <summary>Structural equality: records compare arrays by reference.</summary>
    public bool SameAs(SectorDefinition other) =>
        Id == other.Id && Parent == other.Parent && Kind == other.Kind && Name == other.Name &&
        Needs.Order().SequenceEqual(other.Needs.Order());
}

using System.Collections.Immutable;

namespace Coordinator.Domain.Facilities;

/// <summary>Where a sector lies on its level's floor plan: a rectangle, in metres or any unit the layout chose.</summary>
public sealed record SectorPlace(double X, double Y, double W, double H)
{
    public bool IsValid => double.IsFinite(X) && double.IsFinite(Y) && double.IsFinite(W) && double.IsFinite(H) && W > 0 && H > 0;
}

/// <summary>A sector as the facility's plan defines it. Immutable once recorded. Plan: its place on its level, if the layout gives one.</summary>
public sealed record SectorDefinition(
    string Id, string? Parent, SectorKind Kind, string Name, ImmutableArray<Capability> Needs,
    SectorPlace? Plan = null)
{
    public const int MaxNameLength = 200;

    /// <summary>Structural equality: records compare arrays by reference.</summary>
    public bool SameAs(SectorDefinition other) =>
        Id == other.Id && Parent == other.Parent && Kind == other.Kind && Name == other.Name &&
        Needs.Order().SequenceEqual(other.Needs.Order()) && Plan == other.Plan;
}

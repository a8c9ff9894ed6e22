using System.Collections.Immutable;

namespace Coordinator.Domain.Facilities;

public interface IFacilityCommand
{
    string Facility { get; }
    Author By { get; }
}

public sealed record RegisterFacility(string Facility, string Name, ImmutableArray<string> Aliases, string? Location, Author By) : IFacilityCommand;

/// <summary>Bulk layout or a single added sector: parents may follow children; known identical sectors are skipped.</summary>
public sealed record DefineSectors(string Facility, ImmutableArray<SectorDefinition> Sectors, Author By) : IFacilityCommand;

/// <summary>A sector telling its facility where it stands; versions make redelivery harmless.</summary>
public sealed record RecordSectorProgress(string Facility, string Sector, SectorProgress Progress) : IFacilityCommand
{
    public Author By => Author.System;
}

/// <summary>
/// Asked by a sector before it records a change the facility must know first: a hidden space (the facility
/// owns the tree) or a final sector becoming unsearched again (so a sign-off can never pass over it).
/// </summary>
public sealed record ConsentToSectorChange(
    string Facility, string Sector, long SectorVersion, bool Reopens, SectorDefinition? Child, string Reason, Author By) : IFacilityCommand;

public sealed record SignOffFacility(string Facility, Author By) : IFacilityCommand;

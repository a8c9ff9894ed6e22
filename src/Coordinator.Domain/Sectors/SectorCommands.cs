using System.Collections.Immutable;
using Coordinator.Domain.Facilities;
using Coordinator.Domain.Family;

namespace Coordinator.Domain.Sectors;

public interface ISectorCommand
{
    SectorRef Sector { get; }
    Author By { get; }
}

/// <summary>Records the plan's definition in the sector's own journal, the first time the sector is used.</summary>
public sealed record DefineSector(SectorRef Sector, SectorDefinition Definition) : ISectorCommand
{
    public Author By => Author.System;
}

/// <summary>Step two of an assignment, sent by the team that has reserved itself for this sector.</summary>
public sealed record AcceptTeam(SectorRef Sector, string Team, ImmutableArray<Capability> Capabilities, Author By) : ISectorCommand;

/// <summary>Step two of a recall, sent by the team that is leaving.</summary>
public sealed record ReleaseTeam(SectorRef Sector, string Team, Author By) : ISectorCommand;

public sealed record ReopenSector(SectorRef Sector, string Reason, Author By) : ISectorCommand;

/// <summary>A lead has seen an alert about this sector (its id is the journal offset of the event that raised it).</summary>
public sealed record AcknowledgeAlert(SectorRef Sector, long Alert, Author By) : ISectorCommand;

/// <summary>A field unit's report. The report id is the client's: a retry carries the same one.</summary>
public abstract record FieldReport(SectorRef Sector, string ReportId, string Team, Author By) : ISectorCommand
{
    /// <summary>
    /// The content that must match when the same report id comes again, spelled as its first fingerprints hashed it.
    /// It names persons: only its <see cref="ReportPrints"/> print is stored.
    /// </summary>
    public abstract string Content { get; }

    protected string Spelled(params object?[] parts) =>
        string.Join('|', new object?[] { GetType().Name, Sector, Team }.Concat(parts).Select(p => p switch
        {
            null => "",
            IEnumerable<Capability> caps => string.Join(',', caps.Order()),
            _ => p.ToString(),
        }));
}

public sealed record ReportEntered(SectorRef Sector, string ReportId, string Team, Author By) : FieldReport(Sector, ReportId, Team, By)
{
    public override string Content => Spelled();
}

public sealed record ReportCleared(SectorRef Sector, string ReportId, string Team, SearchMethod Method, Author By)
    : FieldReport(Sector, ReportId, Team, By)
{
    public override string Content => Spelled(Method);
}

public sealed record ReportClearedWithDeceased(SectorRef Sector, string ReportId, string Team, SearchMethod Method, int Deceased, Author By)
    : FieldReport(Sector, ReportId, Team, By)
{
    public override string Content => Spelled(Method, Deceased);
}

public sealed record ReportBlocked(SectorRef Sector, string ReportId, string Team, ImmutableArray<Capability> Needs, string? Note, Author By)
    : FieldReport(Sector, ReportId, Team, By)
{
    public override string Content => Spelled(Needs, Note);
}

/// <summary>An access crew (door opening, breaching, shoring…) opened what blocked the sector.</summary>
public sealed record ReportAccessOpened(SectorRef Sector, string ReportId, string Team, ImmutableArray<Capability> Needs, Author By)
    : FieldReport(Sector, ReportId, Team, By)
{
    public override string Content => Spelled(Needs);
}

public sealed record ReportHazard(SectorRef Sector, string ReportId, string Team, string Hazard, Author By) : FieldReport(Sector, ReportId, Team, By)
{
    public override string Content => Spelled(Hazard);
}

/// <summary>Persons found, counted, and named one record each where the team could learn their names.</summary>
public sealed record ReportPersonsFound(
    SectorRef Sector, string ReportId, string Team, int Alive, int Deceased, bool NeedsMedical, string? Details,
    ImmutableArray<PersonDetails> Persons, Author By)
    : FieldReport(Sector, ReportId, Team, By)
{
    public override string Content => Spelled(Alive, Deceased, NeedsMedical, Details, PersonsPrint.Of(Persons));
}

/// <summary>A lead or the family desk corrects a found person's record; the original stays in the history.</summary>
public sealed record CorrectPerson(SectorRef Sector, string Person, PersonDetails Details, string Reason, Author By) : ISectorCommand;

/// <summary>A lead or admin erases a found person's identifying details; the counts and the history stay.</summary>
public sealed record ErasePerson(SectorRef Sector, string Person, string Reason, Author By) : ISectorCommand;
/// <summary>The family desk decides whether a found person's name goes on the facility's notice board; by default it does not.</summary>
public sealed record DecideNotice(SectorRef Sector, string Person, bool Publish, Author By) : ISectorCommand;

public sealed record ReportHiddenSpaceFound(SectorRef Sector, string ReportId, string Team, string NewSector, string? Name,
    ImmutableArray<Capability> Needs, string? Note, Author By) : FieldReport(Sector, ReportId, Team, By)
{
    public override string Content => Spelled(NewSector, Name, Needs, Note);
}

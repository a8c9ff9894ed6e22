using System.Collections.Immutable;

namespace Coordinator.Domain.Teams;

public interface ITeamCommand
{
    string Team { get; }
    Author By { get; }
}

public sealed record RegisterTeam(string Team, string CallSign, int Size, ImmutableArray<Capability> Capabilities, Author By) : ITeamCommand;

/// <summary>Step one of an assignment: the team reserves itself, then asks the sector.</summary>
public sealed record AssignTeam(string Team, SectorRef Sector, Author By) : ITeamCommand;

/// <summary>Step one of a recall: the team marks itself leaving, then tells the sector.</summary>
public sealed record RecallTeam(string Team, Author By) : ITeamCommand;

/// <summary>The lead sets a team resting, out of service, or available again.</summary>
public sealed record SetTeamStatus(string Team, TeamStatus Status, Author By) : ITeamCommand;

/// <summary>The sector's answer to the pending step (assignment or recall): accepted, or refused with a reason.</summary>
public sealed record SectorAnswered(string Team, SectorRef Sector, Refusal? Refusal) : ITeamCommand
{
    public Author By => Author.System;
}

/// <summary>What the sector says of this team now: whether it names it, and its status.</summary>
public sealed record SectorReported(string Team, SectorRef Sector, bool NamesTeam, SectorStatus Status) : ITeamCommand
{
    public Author By => Author.System;
}

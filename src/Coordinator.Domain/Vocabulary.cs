namespace Coordinator.Domain;

/// <summary>Work types a team brings and a sector's access needs (INSARAG work-type codes).</summary>
public enum Capability { Search, K9, Breaching, DoorOpening, Shoring, Lifting, Rope, Medical }

public enum SectorKind { Site, Building, Level, Wing, Block, Corridor, Cell, Room, Shaft, Void, Stairwell, HiddenSpace }

public enum SectorStatus { Unsearched, Assigned, InProgress, Cleared, ClearedWithDeceased, Blocked, Hazard }

public enum SearchMethod { Visual, K9, Technical }

public enum TeamStatus { Available, Assigned, OnSite, Resting, OutOfService }

public static class SectorStatusRules
{
    /// <summary>Searched completely: the only statuses a facility sign-off accepts for a leaf.</summary>
    public static bool IsFinal(this SectorStatus status) =>
        status is SectorStatus.Cleared or SectorStatus.ClearedWithDeceased;

    /// <summary>A team is working there, or work stopped and must be resumed before sign-off.</summary>
    public static bool IsOpenWork(this SectorStatus status) =>
        status is SectorStatus.Assigned or SectorStatus.InProgress or SectorStatus.Blocked or SectorStatus.Hazard;
}

/// <summary>Ids of facilities, sectors, teams and reports: short, URL- and log-safe.</summary>
public static class Ids
{
    public const int MaxLength = 64;

    public static bool IsValid(string? id) =>
        !string.IsNullOrEmpty(id) && id.Length <= MaxLength && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    /// <summary>Why <paramref name="id"/> is refused as <paramref name="what"/> ("team id"), in the words every refusal of an id uses.</summary>
    public static string Rule(string what, string? id) => $"{what} '{id}' must be 1-{MaxLength} characters of A-Z a-z 0-9 . _ -";
}

/// <summary>Who caused an event: a lead, a team or the system, as authenticated at the edge.</summary>
public sealed record Author(string Subject)
{
    public static readonly Author System = new("system");
    public static Author Team(string teamId) => new($"team:{teamId}");
    public static Author Lead(string name) => new($"lead:{name}");
}

/// <summary>Something recorded: when, and by whom.</summary>
public interface IEvent
{
    DateTimeOffset At { get; }
    Author By { get; }
}

/// <summary>An event that concerns a team, whichever entity recorded it (the audit trail filters by it).</summary>
public interface IAboutTeam
{
    string? Team { get; }
}

/// <summary>An event that concerns a sector, whichever entity recorded it (the audit trail filters by it).</summary>
public interface IAboutSector
{
    SectorRef Sector { get; }
}

/// <summary>Addresses one sector: ids are unique within a facility only.</summary>
public sealed record SectorRef(string Facility, string Sector)
{
    /// <summary>The sector's one key: its entity and journal ids, the board's index and persons' ids are made from it, so it never changes.</summary>
    public override string ToString() => $"{Facility}/{Sector}";
}

namespace Coordinator.Domain;

/// <summary>Why a command was refused. Names are the public contract (the API returns them).</summary>
public enum RefusalCode
{
    // the request itself is malformed
    InvalidId,
    InvalidField,
    // an entity the command needs does not exist
    FacilityNotFound,
    SectorNotFound,
    TeamNotFound,
    TokenNotFound,
    PersonNotFound,
    InquiryNotFound,
    EnrolmentNotFound,
    ParentSectorNotFound,
    AlertNotFound,
    // the command conflicts with recorded state
    FacilityAlreadyRegistered,
    TeamAlreadyRegistered,
    SectorConflict,
    LayoutHasCycle,
    TeamBusy,
    TeamNotAvailable,
    TeamNotAssigned,
    TeamLacksCapability,
    SectorNotAssignable,
    SectorNotAssignedToTeam,
    SectorNotAwaitingEntry,
    SectorNotInProgress,
    SectorNotReopenable,
    AccessNotNeeded,
    ReportIdReused,
    FacilityHasUnsearchedSectors,
    FacilityHasNoSectors,
    FacilityAlreadySignedOff,
    InquiryAlreadyRegistered,
    InquiryClosed,
    MatchNotConfirmed,
    FamilyNotInformed,
    CaseClaimedByOther,
    EnrolmentUsed,
    EnrolmentExpired,
    AlertAlreadyAcknowledged,
    PersonAlreadyErased,
    InquiryAlreadyErased,
    // a dependency did not answer in time: nothing was recorded, the client may retry
    Unavailable,
    // new codes go last: Akka's default serializer carries a refusal between nodes with its code as a number, and a
    // rolling upgrade runs old and new nodes together
    /// <summary>The bootstrap secret minting once an admin token is in force (the registry decides: docs/security.md).</summary>
    BootstrapRetired,
}

public sealed record Refusal(RefusalCode Code, string Reason)
{
    public bool IsNotFound =>
        Code is RefusalCode.FacilityNotFound or RefusalCode.SectorNotFound or RefusalCode.TeamNotFound or RefusalCode.TokenNotFound
        or RefusalCode.PersonNotFound or RefusalCode.InquiryNotFound or RefusalCode.EnrolmentNotFound or RefusalCode.AlertNotFound;
    public bool IsInvalid =>
        Code is RefusalCode.InvalidId or RefusalCode.InvalidField or RefusalCode.ParentSectorNotFound or RefusalCode.LayoutHasCycle;
}

/// <summary>The outcome of Decide: events to record, a refusal, or the first outcome of a repeated report.</summary>
public abstract record Decision<TEvent>
{
    private Decision() { }

    public sealed record Accepted(IReadOnlyList<TEvent> Events) : Decision<TEvent>;
    public sealed record Refused(Refusal Refusal) : Decision<TEvent>;
    /// <summary>A report id seen before with the same content: answer as the first time, record nothing.</summary>
    public sealed record Repeated(ReportOutcome Outcome) : Decision<TEvent>;

    public static Decision<TEvent> Accept(params TEvent[] events) => new Accepted(events);
    public static Decision<TEvent> Refuse(RefusalCode code, string reason) => new Refused(new Refusal(code, reason));
}

/// <summary>What a field report led to, kept so a retry gets the same answer.</summary>
public sealed record ReportOutcome(long Version, SectorStatus Status);

/// <summary>A field report's client-made id and a fingerprint of its content, recorded in its event.</summary>
public sealed record ReportRef(string Id, string Fingerprint);

using System.Collections.Frozen;
using Coordinator.Domain.Access;
using Coordinator.Domain.Facilities;
using Coordinator.Domain.Family;
using Coordinator.Domain.Sectors;
using Coordinator.Domain.Teams;

namespace Coordinator.Cluster.Serialization;

/// <summary>
/// The stored name of every event and snapshot. These strings are in journals forever: never change or
/// reuse one. A new shape of an event gets a new type and a new manifest; the old one stays readable.
/// </summary>
public static class Manifests
{
    public static readonly FrozenDictionary<string, Type> Types = new Dictionary<string, Type>
    {
        ["facility-registered.v1"] = typeof(FacilityRegistered),
        ["sectors-defined.v1"] = typeof(SectorsDefined),
        ["sector-progress-recorded.v1"] = typeof(SectorProgressRecorded),
        ["hidden-space-added.v1"] = typeof(HiddenSpaceAdded),
        ["sector-reopening-recorded.v1"] = typeof(SectorReopeningRecorded),
        ["sign-off-revoked.v1"] = typeof(SignOffRevoked),
        ["facility-signed-off.v1"] = typeof(FacilitySignedOff),

        ["sector-defined.v1"] = typeof(SectorDefined),
        ["team-assigned.v1"] = typeof(TeamAssigned),
        ["team-released.v1"] = typeof(TeamReleased),
        ["sector-entered.v1"] = typeof(SectorEntered),
        ["sector-cleared.v1"] = typeof(SectorCleared),
        ["sector-cleared-with-deceased.v1"] = typeof(SectorClearedWithDeceased),
        ["sector-blocked.v1"] = typeof(SectorBlocked),
        ["access-opened.v1"] = typeof(AccessOpened),
        ["hazard-reported.v1"] = typeof(HazardReported),
        ["persons-found.v1"] = typeof(PersonsFound),
        ["hidden-space-found.v1"] = typeof(HiddenSpaceFound),
        ["sector-reopened.v1"] = typeof(SectorReopened),
        ["alert-acknowledged.v1"] = typeof(AlertAcknowledged),
        ["person-record-corrected.v1"] = typeof(PersonRecordCorrected),
        ["person-details-erased.v1"] = typeof(PersonDetailsErased),
        ["person-notice-decided.v1"] = typeof(PersonNoticeDecided),

        ["team-registered.v1"] = typeof(TeamRegistered),
        ["assignment-requested.v1"] = typeof(AssignmentRequested),
        ["assignment-confirmed.v1"] = typeof(AssignmentConfirmed),
        ["assignment-refused.v1"] = typeof(AssignmentRefused),
        ["recall-requested.v1"] = typeof(RecallRequested),
        ["team-on-site.v1"] = typeof(TeamOnSite),
        ["team-left-sector.v1"] = typeof(TeamLeftSector),
        ["team-status-set.v1"] = typeof(TeamStatusSet),

        ["token-issued.v1"] = typeof(TokenIssued),
        ["token-revoked.v1"] = typeof(TokenRevoked),
        ["enrolment-opened.v1"] = typeof(EnrolmentOpened),
        ["enrolment-redeemed.v1"] = typeof(EnrolmentRedeemed),

        ["inquiry-registered.v1"] = typeof(InquiryRegistered),
        ["inquiry-closed.v1"] = typeof(InquiryClosed),
        ["match-decided.v1"] = typeof(MatchDecided),
        ["inquiry-details-erased.v1"] = typeof(InquiryDetailsErased),
        ["person-records-read.v1"] = typeof(PersonRecordsRead),
        ["inquiry-concluded.v1"] = typeof(InquiryConcluded),
        ["family-informed.v1"] = typeof(FamilyInformed),
        ["case-claimed.v1"] = typeof(CaseClaimed),
        ["case-released.v1"] = typeof(CaseReleased),

        ["facility-snapshot.v1"] = typeof(Facility),
        ["sector-snapshot.v1"] = typeof(Sector),
        ["team-snapshot.v1"] = typeof(Team),
        ["tokens-snapshot.v1"] = typeof(Tokens),
        ["token-registry-snapshot.v1"] = typeof(TokenRegistry),
        ["inquiry-snapshot.v1"] = typeof(Inquiry),
    }.ToFrozenDictionary();

    /// <summary>Every kind of entry in the journal but snapshots: what the audit trail and a sector's history list.</summary>
    public static readonly Type[] Events =
        [.. Types.Where(kv => !kv.Key.Contains("-snapshot.", StringComparison.Ordinal)).Select(kv => kv.Value).Distinct()];

    public static readonly FrozenDictionary<Type, string> Names = Types.ToFrozenDictionary(kv => kv.Value, kv => kv.Key);

    /// <summary>What the serializer is bound to in Akka: every type above is one of these.</summary>
    public static readonly Type[] BoundTypes =
        [typeof(IFacilityEvent), typeof(ISectorEvent), typeof(ITeamEvent), typeof(ITokenEvent), typeof(IInquiryEvent), typeof(PersonRecordsRead),
         typeof(Facility), typeof(Sector), typeof(Team), typeof(Tokens), typeof(TokenRegistry), typeof(Inquiry)];
}

using Coordinator.Domain;
using Coordinator.Domain.Family;

namespace Coordinator.Contracts;

// The public request shapes. Every field is nullable so a missing one is named in a 400, not a 500.

/// <summary>
/// The endpoint refuses (400) a request without this field, or with it null; the API document lists it as required.
/// Every other request field is optional.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class RequiredAttribute : Attribute;

/// <summary>A query parameter whose values are a closed set: the endpoint refuses (400) any other; the document lists them as an enum.</summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class OneOfAttribute(params string[] words) : Attribute
{
    public IReadOnlyList<string> Words { get; } = words;
}

/// <summary>A whole-number query parameter the endpoint refuses (400) outside these bounds; the document gives them as minimum and maximum.</summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class BetweenAttribute(int least, int most) : Attribute
{
    public int Least { get; } = least;
    public int Most { get; } = most;
}

public sealed record RegisterFacilityRequest([Required] string? Id, [Required] string? Name, string[]? Aliases, string? Location);

/// <summary>Plan: {"x","y","w","h"}, read as it came so that a wrong one is refused naming its sector.</summary>
public sealed record SectorRequest([Required] string? Id, string? Parent, [Required] SectorKind? Kind, string? Name, Capability[]? Needs,
    System.Text.Json.JsonElement? Plan = null);

/// <summary>A layout: the list of sectors, or the text of a CSV file (see LayoutFile); one of the two is required.</summary>
public sealed record LayoutRequest(SectorRequest[]? Sectors, string? Csv = null);

public sealed record RegisterTeamRequest([Required] string? Id, [Required] string? CallSign, [Required] int? Size,
    [Required] Capability[]? Capabilities);

public sealed record AssignmentRequest([Required] string? TeamId, [Required] string? FacilityId, [Required] string? SectorId);

public sealed record TeamStatusRequest([Required] TeamStatus? Status);

public sealed record ReopenRequest([Required] string? Reason);

/// <summary>Alert: the alert's id, as GET /api/alerts and the board answer it.</summary>
public sealed record AcknowledgeRequest([Required] long? Alert);

public enum ReportKind { Entered, Cleared, ClearedWithDeceased, Blocked, Hazard, PersonsFound, HiddenSpaceFound, AccessOpened }

public sealed record ReportRequest(
    [Required] string? ReportId, [Required] string? TeamId, [Required] string? FacilityId, [Required] string? SectorId, [Required] ReportKind? Kind,
    SearchMethod? Method, Capability[]? Needs, string? Hazard, int? Alive, int? Deceased, bool? NeedsMedical,
    string? Details, string? NewSectorId, string? Name, string? Note, PersonRequest[]? Persons);

/// <summary>A person found, as the team wrote it down; only the name is required.</summary>
public sealed record PersonRequest(
    [Required] string? Name, string[]? AltNames, string? FatherName, string? MotherName, int? BirthYear, int? Age, string? HomeTown,
    string? Condition, string? TakenTo)
{
    public PersonDetails ToDetails() =>
        new(Name?.Trim() ?? "", [.. (AltNames ?? []).Select(a => a.Trim())], Trimmed(FatherName), Trimmed(MotherName), BirthYear, Age,
            Trimmed(HomeTown), Trimmed(Condition), Trimmed(TakenTo));

    public static string? Trimmed(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}

public sealed record CorrectionRequest([Required] PersonRequest? Person, [Required] string? Reason);

public sealed record InquiryRequest(
    [Required] string? Id, [Required] string? Name, string[]? AltNames, string? FatherName, string? MotherName, int? BirthYear, string? HomeTown,
    string? LastSeen, string? Contact)
{
    public InquiryDetails ToDetails() => new(Name?.Trim() ?? "", [.. (AltNames ?? []).Select(a => a.Trim())], PersonRequest.Trimmed(FatherName),
        PersonRequest.Trimmed(MotherName), BirthYear, PersonRequest.Trimmed(HomeTown), PersonRequest.Trimmed(LastSeen),
        PersonRequest.Trimmed(Contact));
}

/// <summary>An outcome, or a reason alone.</summary>
public sealed record CloseRequest(CaseOutcome? Outcome, string? Reason);

public sealed record NoticeRequest([Required] bool? Publish);

public sealed record InformedRequest([Required] string? PersonId, [Required] InformedHow? How, string? Notes);

/// <summary>Why the details are erased; it stays in the history, so it must not repeat them.</summary>
public sealed record EraseRequest([Required] string? Reason);

public sealed record MatchRequest([Required] string? PersonId, [Required] MatchDecision? Decision, string? Note);

public sealed record ReportBatchRequest([Required] ReportRequest?[]? Reports);

public sealed record IssueTokenRequest([Required] string? Role, string? Team, string? Expires);

public sealed record EnrolmentRequest([Required] string? Team, string? Expires, string? TokenExpires);

/// <summary>Phone: an id the phone made for itself once; the same phone redeeming again gets the same token.</summary>
public sealed record RedeemRequest([Required] string? Code, [Required] string? Phone);

/// <summary>A partner's list of missing persons, as JSON when it is not sent as text/csv.</summary>
public sealed record ImportRequest([Required] string? Csv);

public sealed record MemberRequest([Required] string? Address);

/// <summary>The answer to a leave or down: the member it concerns, and that the cluster was asked (it acts on its own time).</summary>
public sealed record MemberControlView(string Address, string Outcome);

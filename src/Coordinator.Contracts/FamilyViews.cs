using System.Text.Json.Serialization;
using Coordinator.Domain.Family;

namespace Coordinator.Contracts;

// The family desk's views: persons found, inquiries, the work queue, candidates and imports.

/// <summary>Erased: the details were erased and read as the marker ("[erased]", nothing else); the record stays.</summary>
public sealed record PersonView(string Id, string Facility, string Sector, string Team, DateTimeOffset FoundAt, PersonDetails Details,
    int Corrections, bool OnNoticeBoard, bool Erased)
{
    public static PersonView Of(RecordedPerson p) => new(p.Id, p.Sector.Facility, p.Sector.Sector, p.Team, p.FoundAt, p.Details, p.Corrections,
        p.OnNoticeBoard, p.Details.IsErased);
}

public sealed record DecisionView(string PersonId, MatchDecision Decision, string? Note, DateTimeOffset At, string By);

public sealed record InformedView(string PersonId, InformedHow How, string? Notes, DateTimeOffset At, string By);

public sealed record ClaimView(string By, DateTimeOffset Until)
{
    public static ClaimView? Of(Inquiry i, DateTimeOffset now) => i.ClaimAt(now) is { } c ? new ClaimView(Inquiry.Officer(c.By), c.Until) : null;
}

/// <summary>An inquiry without the family's contact: that is shown by its own route, to the desk, after a confirmed match.</summary>
public sealed record InquiryView(string Id, InquiryDetails Details, DateTimeOffset? RegisteredAt, InquiryStatus Status, string? ClosedReason,
    IReadOnlyList<DecisionView> Decisions, long Version,
    CaseStage Stage, CaseOutcome? Outcome, InformedView? Informed, ClaimView? Claim, DateTimeOffset? LastTouched, bool Erased)
{
    public static InquiryView Of(Inquiry i) => new(i.Id, i.Details! with { Contact = null }, i.RegisteredAt,
        i.Closed ? InquiryStatus.Closed : InquiryStatus.Open, i.ClosedReason,
        [.. i.Decisions.OrderBy(d => d.Value.At).Select(d => new DecisionView(d.Key, d.Value.Decision, d.Value.Note, d.Value.At,
            d.Value.By.Subject))], i.Version,
        i.Stage, i.Case?.Outcome, i.Case?.Informed is { } t ? new InformedView(t.Person, t.How, t.Notes, t.At, Inquiry.Officer(t.By)) : null,
        ClaimView.Of(i, DateTimeOffset.UtcNow), i.LastTouched, i.Erased);
}

public sealed record ContactView(string InquiryId, string? Contact, IReadOnlyList<string> ConfirmedPersons);

/// <summary>
/// One line of the desk's work queue: why it is there (its section), the inquiry, the person concerned if any, and who
/// is working on it.
/// </summary>
public sealed record QueueItem(QueueSection Section, string InquiryId, string Name, CaseStage Stage, DateTimeOffset? LastTouched,
    string? PersonId, int? Score, ClaimView? Claim)
{
    public static QueueItem Of(Inquiry i, QueueSection section, DateTimeOffset now, string? person, int? score) =>
        new(section, i.Id, i.Details!.Name, i.Stage, i.LastTouched, person, score, ClaimView.Of(i, now));
}

/// <summary>The work queue's sections, in the order the queue lists them.</summary>
public enum QueueSection
{
    /// <summary>A strong candidate not yet confirmed or rejected.</summary>
    Strong,
    /// <summary>A confirmed match whose family is not yet told.</summary>
    ToInform,
    /// <summary>An open inquiry nobody touched for the queue's days.</summary>
    Untouched,
}

/// <summary>A candidate with the record on the other side, so the desk sees both side by side.</summary>
public sealed record CandidateView(string PersonId, string InquiryId, int Score, bool Strong, IReadOnlyList<string> Reasons, MatchDecision? Decision,
    PersonView? Person, InquiryView? Inquiry)
{
    public static CandidateView Of(DeskCandidate c, PersonView? person, InquiryView? inquiry) =>
        new(c.PersonId, c.InquiryId, c.Score, c.Strong, c.Reasons, c.Decision, person, inquiry);
}

/// <summary>What became of one row: accepted (registered now), duplicate (registered already, same details) or refused, with the code.</summary>
public sealed record ImportRowView(int Row, string? Id, ImportOutcome Outcome, string? Code, string? Reason);

/// <summary>Lower case on the wire: the words coord prints and scripts read.</summary>
public enum ImportOutcome
{
    [JsonStringEnumMemberName("accepted")] Accepted,
    [JsonStringEnumMemberName("duplicate")] Duplicate,
    [JsonStringEnumMemberName("refused")] Refused,
}

public sealed record ImportReport(int Rows, int Accepted, int Duplicates, int Refused, IReadOnlyList<ImportRowView> Report);

namespace Coordinator.Domain.Family;

public interface IInquiryCommand
{
    string Inquiry { get; }
    Author By { get; }
}

/// <summary>The family desk registers a missing person; the id is the client's, so a retry registers once.</summary>
public sealed record RegisterInquiry(string Inquiry, InquiryDetails Details, Author By) : IInquiryCommand;

/// <summary>Ends the case: with an outcome (and an optional note), or, as before outcomes existed, with a free reason only.</summary>
public sealed record CloseInquiry(string Inquiry, CaseOutcome? Outcome, string? Reason, Author By) : IInquiryCommand;

/// <summary>A desk officer's decision on a proposed match: matching never confirms by itself.</summary>
public sealed record DecideMatch(string Inquiry, string Person, MatchDecision Decision, string? Note, Author By) : IInquiryCommand;

/// <summary>A lead or admin erases the family's identifying details; the reason must not repeat them.</summary>
public sealed record EraseInquiry(string Inquiry, string Reason, Author By) : IInquiryCommand;

/// <summary>The desk told the family about a confirmed match: who told them, how, and what was said.</summary>
public sealed record InformFamily(string Inquiry, string Person, InformedHow How, string? Notes, Author By) : IInquiryCommand;

/// <summary>An officer takes the case, so no other officer calls the same family meanwhile.</summary>
public sealed record ClaimCase(string Inquiry, Author By) : IInquiryCommand;

public sealed record ReleaseCase(string Inquiry, Author By) : IInquiryCommand;

public enum MatchDecision { Confirmed, Rejected }

public enum InformedHow { Phone, InPerson, ViaPartner, Message }

/// <summary>How a case ends.</summary>
public enum CaseOutcome { Reunited, DeceasedConfirmed, NotFound, Withdrawn }

public interface IInquiryEvent : IEvent
{
    string Inquiry { get; }
}

public sealed record InquiryRegistered(string Inquiry, InquiryDetails Details, DateTimeOffset At, Author By) : IInquiryEvent;

/// <summary>A close with a free reason only: written before outcomes existed, still read.</summary>
public sealed record InquiryClosed(string Inquiry, string Reason, DateTimeOffset At, Author By) : IInquiryEvent;

public sealed record InquiryConcluded(string Inquiry, CaseOutcome Outcome, string? Note, DateTimeOffset At, Author By) : IInquiryEvent;

public sealed record MatchDecided(string Inquiry, string Person, MatchDecision Decision, string? Note, DateTimeOffset At, Author By) : IInquiryEvent;

/// <summary>The inquiry's details were erased (their key deleted): it carries no personal data, only who, when and why.</summary>
public sealed record InquiryDetailsErased(string Inquiry, string Reason, DateTimeOffset At, Author By) : IInquiryEvent;

public sealed record FamilyInformed(string Inquiry, string Person, InformedHow How, string? Notes, DateTimeOffset At, Author By) : IInquiryEvent;

public sealed record CaseClaimed(string Inquiry, DateTimeOffset Until, DateTimeOffset At, Author By) : IInquiryEvent;

public sealed record CaseReleased(string Inquiry, DateTimeOffset At, Author By) : IInquiryEvent;

namespace Coordinator.Domain.Family;

public interface IInquiryCommand
{
    string Inquiry { get; }
    Author By { get; }
}

/// <summary>The family desk registers a missing person; the id is the client's, so a retry registers once.</summary>
public sealed record RegisterInquiry(string Inquiry, InquiryDetails Details, Author By) : IInquiryCommand;

public sealed record CloseInquiry(string Inquiry, string Reason, Author By) : IInquiryCommand;

/// <summary>A desk officer's decision on a proposed match: matching never confirms by itself.</summary>
public sealed record DecideMatch(string Inquiry, string Person, MatchDecision Decision, string? Note, Author By) : IInquiryCommand;

/// <summary>A lead or admin erases the family's identifying details; the reason must not repeat them.</summary>
public sealed record EraseInquiry(string Inquiry, string Reason, Author By) : IInquiryCommand;

public enum MatchDecision { Confirmed, Rejected }

public interface IInquiryEvent
{
    string Inquiry { get; }
    DateTimeOffset At { get; }
    Author By { get; }
}

public sealed record InquiryRegistered(string Inquiry, InquiryDetails Details, DateTimeOffset At, Author By) : IInquiryEvent;

public sealed record InquiryClosed(string Inquiry, string Reason, DateTimeOffset At, Author By) : IInquiryEvent;

public sealed record MatchDecided(string Inquiry, string Person, MatchDecision Decision, string? Note, DateTimeOffset At, Author By) : IInquiryEvent;

/// <summary>The inquiry's details were erased (their key deleted): it carries no personal data, only who, when and why.</summary>
public sealed record InquiryDetailsErased(string Inquiry, string Reason, DateTimeOffset At, Author By) : IInquiryEvent;

using System.Collections.Immutable;

namespace Coordinator.Domain.Family;

public sealed record Decided(MatchDecision Decision, string? Note, DateTimeOffset At, Author By);

/// <summary>A family's search for a missing person: what they told the desk, and the desk's decisions on candidates.</summary>
public sealed record Inquiry(
    string Id,
    InquiryDetails? Details,
    DateTimeOffset? RegisteredAt,
    string? ClosedReason,
    ImmutableDictionary<string, Decided> Decisions,
    long Version)
{
    public const int MaxNoteLength = 2000;

    public static Inquiry Empty(string id) => new(id, null, null, null, ImmutableDictionary<string, Decided>.Empty, 0);

    public bool Registered => Details is not null;
    public bool Closed => ClosedReason is not null;
    public bool Erased => Details?.IsErased == true;

    /// <summary>When it was closed (the retention of closed inquiries counts from here); not written while open, so older snapshots read the same.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? ClosedAt { get; init; }

    public Decision<IInquiryEvent> Decide(IInquiryCommand command, DateTimeOffset now)
    {
        if (!Ids.IsValid(command.Inquiry)) return Refuse(RefusalCode.InvalidId, $"inquiry id '{command.Inquiry}' must be 1-{Ids.MaxLength} of A-Z a-z 0-9 . _ -");
        if (command is RegisterInquiry r) return Register(r, now);
        if (!Registered) return Refuse(RefusalCode.InquiryNotFound, $"inquiry '{Id}' is not registered");
        return command switch
        {
            CloseInquiry c when string.IsNullOrWhiteSpace(c.Reason) || c.Reason.Length > MaxNoteLength =>
                Refuse(RefusalCode.InvalidField, $"a reason is required, at most {MaxNoteLength} characters"),
            CloseInquiry c => Closed ? Accept() : Accept(new InquiryClosed(Id, c.Reason.Trim(), now, c.By)),
            DecideMatch d => DecideMatch(d, now),
            EraseInquiry e => Erase(e, now),
            _ => throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name),
        };
    }

    private Decision<IInquiryEvent> Register(RegisterInquiry r, DateTimeOffset now)
    {
        if (r.Details.Invalid(now.Year) is { } invalid) return new Decision<IInquiryEvent>.Refused(invalid);
        if (Registered)
            return Details!.SameAs(r.Details) ? Accept() : Refuse(RefusalCode.InquiryAlreadyRegistered, $"inquiry '{Id}' is registered with other details");
        return Accept(new InquiryRegistered(Id, r.Details, now, r.By));
    }

    private Decision<IInquiryEvent> DecideMatch(DecideMatch d, DateTimeOffset now)
    {
        if (!Ids.IsValid(d.Person)) return Refuse(RefusalCode.InvalidId, $"person id '{d.Person}' is not a valid id");
        if (!Enum.IsDefined(d.Decision)) return Refuse(RefusalCode.InvalidField, "decision must be Confirmed or Rejected");
        if (d.Note is { Length: > MaxNoteLength }) return Refuse(RefusalCode.InvalidField, $"note is longer than {MaxNoteLength}");
        if (Closed) return Refuse(RefusalCode.InquiryClosed, $"inquiry '{Id}' is closed: {ClosedReason}");
        if (Decisions.TryGetValue(d.Person, out var before) && before.Decision == d.Decision && before.Note == d.Note) return Accept();
        return Accept(new MatchDecided(Id, d.Person, d.Decision, d.Note, now, d.By));
    }

    private Decision<IInquiryEvent> Erase(EraseInquiry e, DateTimeOffset now)
    {
        if (Erased) return Refuse(RefusalCode.InquiryAlreadyErased, $"inquiry '{Id}' is already erased");
        if (Erasure.InvalidReason(e.Reason, Details!.Name, Details.Contact) is { } invalid) return new Decision<IInquiryEvent>.Refused(invalid);
        return Accept(new InquiryDetailsErased(Id, e.Reason.Trim(), now, e.By));
    }

    public Inquiry Evolve(IInquiryEvent e) => (e switch
    {
        InquiryRegistered r => this with { Details = r.Details, RegisteredAt = r.At },
        InquiryClosed c => this with { ClosedReason = c.Reason, ClosedAt = c.At },
        InquiryDetailsErased => this with { Details = InquiryDetails.Erased },
        MatchDecided d => this with { Decisions = Decisions.SetItem(d.Person, new Decided(d.Decision, d.Note, d.At, d.By)) },
        _ => throw new ArgumentOutOfRangeException(nameof(e), e.GetType().Name),
    }) with { Version = Version + 1 };

    private static Decision<IInquiryEvent> Accept(params IInquiryEvent[] events) => Decision<IInquiryEvent>.Accept(events);
    private static Decision<IInquiryEvent> Refuse(RefusalCode code, string reason) => Decision<IInquiryEvent>.Refuse(code, reason);
}

using System.Collections.Immutable;

namespace Coordinator.Domain.Family;

public sealed record Decided(MatchDecision Decision, string? Note, DateTimeOffset At, Author By);

public sealed record Informed(string Person, InformedHow How, string? Notes, DateTimeOffset At, Author By);

public sealed record Claim(Author By, DateTimeOffset Until);

/// <summary>The case after the match: whether the family was told, who holds the case, how it ended, and when it was last worked on.</summary>
public sealed record CaseFile(Informed? Informed, Claim? Claim, CaseOutcome? Outcome, DateTimeOffset Touched);

/// <summary>Where an inquiry stands, from registration to its end.</summary>
public enum CaseStage { Registered, CandidateConfirmed, FamilyInformed, Closed }

/// <summary>
/// A family's search for a missing person: what they told the desk, the desk's decisions on candidates, and the case after a match.
/// </summary>
public sealed record Inquiry(
    string Id,
    InquiryDetails? Details,
    DateTimeOffset? RegisteredAt,
    string? ClosedReason,
    ImmutableDictionary<string, Decided> Decisions,
    long Version,
    CaseFile? Case = null)
{
    public const int MaxNoteLength = 2000;
    /// <summary>A claim lapses on its own, so a case taken by an officer who went off shift returns to the queue.</summary>
    public static readonly TimeSpan ClaimFor = TimeSpan.FromHours(4);

    public static Inquiry Empty(string id) => new(id, null, null, null, ImmutableDictionary<string, Decided>.Empty, 0);

    public bool Registered => Details is not null;
    public bool Closed => ClosedReason is not null;
    public bool Erased => Details?.IsErased == true;

    /// <summary>When it was closed (the retention of closed inquiries counts from here); null while open.</summary>
    public DateTimeOffset? ClosedAt { get; init; }

    public bool HasConfirmedMatch => Decisions.Values.Any(d => d.Decision == MatchDecision.Confirmed);

    public CaseStage Stage =>
        Closed ? CaseStage.Closed
        : Case?.Informed is not null ? CaseStage.FamilyInformed
        : HasConfirmedMatch ? CaseStage.CandidateConfirmed
        : CaseStage.Registered;

    /// <summary>The last time anyone recorded anything on this inquiry.</summary>
    public DateTimeOffset? LastTouched =>
        new[] { RegisteredAt, Case?.Touched }.Concat(Decisions.Values.Select(d => (DateTimeOffset?)d.At)).Max();

    /// <summary>The claim still in force at this time, if any.</summary>
    public Claim? ClaimAt(DateTimeOffset now) => Case?.Claim is { } c && c.Until > now ? c : null;

    public Decision<IInquiryEvent> Decide(IInquiryCommand command, DateTimeOffset now)
    {
        if (!Ids.IsValid(command.Inquiry)) return Refuse(RefusalCode.InvalidId, Ids.Rule("inquiry id", command.Inquiry));
        if (command is RegisterInquiry r) return Register(r, now);
        if (!Registered) return Refuse(RefusalCode.InquiryNotFound, $"inquiry '{Id}' is not registered");
        return command switch
        {
            CloseInquiry c => Close(c, now),
            DecideMatch d => DecideMatch(d, now),
            EraseInquiry e => Erase(e, now),
            InformFamily i => Inform(i, now),
            ClaimCase c => Claim(c, now),
            ReleaseCase c => Release(c, now),
            _ => throw new ArgumentOutOfRangeException(nameof(command), command.GetType().Name),
        };
    }

    private Decision<IInquiryEvent> Register(RegisterInquiry r, DateTimeOffset now)
    {
        if (r.Details.Invalid(now.Year) is { } invalid) return new Decision<IInquiryEvent>.Refused(invalid);
        if (Registered)
            return Details!.SameAs(r.Details) ? Accept()
                : Refuse(RefusalCode.InquiryAlreadyRegistered, $"inquiry '{Id}' is registered with other details");
        return Accept(new InquiryRegistered(Id, r.Details, now, r.By));
    }

    private Decision<IInquiryEvent> Close(CloseInquiry c, DateTimeOffset now)
    {
        if (c.Outcome is { } outcome && !Enum.IsDefined(outcome))
            return Refuse(RefusalCode.InvalidField, "outcome must be Reunited, DeceasedConfirmed, NotFound or Withdrawn");
        if (c.Outcome is null && string.IsNullOrWhiteSpace(c.Reason)) return Refuse(RefusalCode.InvalidField, "an outcome or a reason is required");
        if (c.Reason is { Length: > MaxNoteLength }) return Refuse(RefusalCode.InvalidField, $"the reason is longer than {MaxNoteLength}");
        if (Closed) return Accept();
        if (HeldByOther(c.By, now) is { } held) return held;
        var reason = string.IsNullOrWhiteSpace(c.Reason) ? null : c.Reason.Trim();
        return c.Outcome switch
        {
            null => Accept(new InquiryClosed(Id, reason!, now, c.By)),
            CaseOutcome.Reunited when Case?.Informed is null =>
                Refuse(RefusalCode.FamilyNotInformed,
                    $"inquiry '{Id}': the family has not been informed of a confirmed match, so it cannot be reunited"),
            CaseOutcome.DeceasedConfirmed when !HasConfirmedMatch =>
                Refuse(RefusalCode.MatchNotConfirmed, $"inquiry '{Id}' has no confirmed match: a death is confirmed on a matched record"),
            { } o => Accept(new InquiryConcluded(Id, o, reason, now, c.By)),
        };
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
        if (Erasure.InvalidReason(e.Reason, Details!.Name, Details.AltNames, Details.FatherName, Details.MotherName, Details.Contact) is { } invalid)
            return new Decision<IInquiryEvent>.Refused(invalid);
        return Accept(new InquiryDetailsErased(Id, e.Reason.Trim(), now, e.By));
    }

    private Decision<IInquiryEvent> Inform(InformFamily i, DateTimeOffset now)
    {
        if (!Ids.IsValid(i.Person)) return Refuse(RefusalCode.InvalidId, $"person id '{i.Person}' is not a valid id");
        if (!Enum.IsDefined(i.How)) return Refuse(RefusalCode.InvalidField, "how must be Phone, InPerson, ViaPartner or Message");
        if (i.Notes is { Length: > MaxNoteLength }) return Refuse(RefusalCode.InvalidField, $"notes are longer than {MaxNoteLength}");
        if (Closed) return Refuse(RefusalCode.InquiryClosed, $"inquiry '{Id}' is closed: {ClosedReason}");
        if (Decisions.GetValueOrDefault(i.Person)?.Decision != MatchDecision.Confirmed)
            return Refuse(RefusalCode.MatchNotConfirmed,
                $"person '{i.Person}' is not a confirmed match of inquiry '{Id}': confirm the match before informing the family");
        if (HeldByOther(i.By, now) is { } held) return held;
        if (Case?.Informed is { } told && told.Person == i.Person && told.How == i.How && told.Notes == i.Notes) return Accept();
        return Accept(new FamilyInformed(Id, i.Person, i.How, i.Notes, now, i.By));
    }

    private Decision<IInquiryEvent> Claim(ClaimCase c, DateTimeOffset now)
    {
        if (Closed) return Refuse(RefusalCode.InquiryClosed, $"inquiry '{Id}' is closed: {ClosedReason}");
        return HeldByOther(c.By, now) ?? Accept(new CaseClaimed(Id, now + ClaimFor, now, c.By));
    }

    private Decision<IInquiryEvent> Release(ReleaseCase c, DateTimeOffset now) =>
        ClaimAt(now) is null ? Accept() : HeldByOther(c.By, now) ?? Accept(new CaseReleased(Id, now, c.By));

    private Decision<IInquiryEvent>? HeldByOther(Author by, DateTimeOffset now) =>
        ClaimAt(now) is { } claim && Officer(claim.By) != Officer(by)
            ? Refuse(RefusalCode.CaseClaimedByOther, $"inquiry '{Id}' is being worked on by {claim.By.Subject} until {claim.Until:u}")
            : null;

    /// <summary>The officer without the address they write from: the same officer on another desk's computer still holds their claim.</summary>
    public static string Officer(Author by) => by.Subject.Split('@')[0];

    public Inquiry Evolve(IInquiryEvent e) => (e switch
    {
        InquiryRegistered r => this with { Details = r.Details, RegisteredAt = r.At },
        InquiryClosed c => this with { ClosedReason = c.Reason, ClosedAt = c.At },
        InquiryDetailsErased => this with { Details = InquiryDetails.Erased },
        InquiryConcluded c => Touch(c.At, f => f with { Outcome = c.Outcome, Claim = null }) with
        { ClosedReason = c.Note is null ? c.Outcome.ToString() : $"{c.Outcome}: {c.Note}", ClosedAt = c.At },
        MatchDecided d => this with { Decisions = Decisions.SetItem(d.Person, new Decided(d.Decision, d.Note, d.At, d.By)) },
        FamilyInformed i => Touch(i.At, f => f with { Informed = new Informed(i.Person, i.How, i.Notes, i.At, i.By) }),
        CaseClaimed c => Touch(c.At, f => f with { Claim = new Claim(c.By, c.Until) }),
        CaseReleased r => Touch(r.At, f => f with { Claim = null }),
        _ => throw new ArgumentOutOfRangeException(nameof(e), e.GetType().Name),
    }) with
    { Version = Version + 1 };

    private Inquiry Touch(DateTimeOffset at, Func<CaseFile, CaseFile> change) =>
        this with { Case = change((Case ?? new CaseFile(null, null, null, at)) with { Touched = at }) };

    private static Decision<IInquiryEvent> Accept(params IInquiryEvent[] events) => Decision<IInquiryEvent>.Accept(events);
    private static Decision<IInquiryEvent> Refuse(RefusalCode code, string reason) => Decision<IInquiryEvent>.Refuse(code, reason);
}

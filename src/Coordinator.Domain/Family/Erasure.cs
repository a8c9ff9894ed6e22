namespace Coordinator.Domain.Family;

/// <summary>What an erasure of a person's or an inquiry's details must say, and must not.</summary>
public static class Erasure
{
    public const int MaxReasonLength = 500;

    /// <summary>The reason stays in the journal for good: it is required, and must not repeat the name or contact it erases.</summary>
    public static Refusal? InvalidReason(string? reason, params string?[] erased) =>
        string.IsNullOrWhiteSpace(reason) || reason.Length > MaxReasonLength
            ? new Refusal(RefusalCode.InvalidField, $"a reason is required, at most {MaxReasonLength} characters")
            : erased.Any(d => !string.IsNullOrWhiteSpace(d) && reason.Contains(d.Trim(), StringComparison.OrdinalIgnoreCase))
                ? new Refusal(RefusalCode.InvalidField, "the reason must not repeat the details it erases: it stays in the history")
                : null;
}

/// <summary>
/// The records erased in a stretch of the journal. Events written before details were sealed hold them in plain
/// text, which deleting a key cannot reach: readers of the journal (history, audit trail) show them erased too.
/// </summary>
public sealed record ErasedRecords(IReadOnlySet<string> Persons, IReadOnlySet<string> Inquiries)
{
    public static ErasedRecords In(IEnumerable<object> events)
    {
        var list = events.ToList();
        return new(list.OfType<Sectors.PersonDetailsErased>().Select(e => e.Person).ToHashSet(),
            list.OfType<InquiryDetailsErased>().Select(e => e.Inquiry).ToHashSet());
    }

    public object Mask(object e) => e switch
    {
        Sectors.PersonsFound p when p.Persons.Any(f => Persons.Contains(f.Id)) =>
            p with { Persons = [.. p.Persons.Select(f => Persons.Contains(f.Id) ? f with { Details = PersonDetails.Erased } : f)] },
        Sectors.PersonRecordCorrected c when Persons.Contains(c.Person) => c with { Details = PersonDetails.Erased },
        InquiryRegistered r when Inquiries.Contains(r.Inquiry) => r with { Details = InquiryDetails.Erased },
        _ => e,
    };

    /// <summary>A change kept for resuming streams, as it may be sent after the erasure: a candidate's reasons quote names.</summary>
    public Views.LiveChange Mask(Views.LiveChange c) => c.Data switch
    {
        CandidateAlert a when Persons.Contains(a.Person) || Inquiries.Contains(a.Inquiry) => c with { Data = a with { Reasons = [] } },
        Inquiry i when Inquiries.Contains(i.Id) => c with { Data = i with { Details = InquiryDetails.Erased } },
        _ => c,
    };
}

using System.Collections.Immutable;
using Coordinator.Domain.Sectors;

namespace Coordinator.Domain.Family;

/// <summary>A strong candidate waiting for an officer's decision: the pair and its score.</summary>
public readonly record struct StrongPair(string InquiryId, string PersonId, int Score);

/// <summary>An open inquiry and the last time anyone recorded anything on it.</summary>
public readonly record struct Touched(DateTimeOffset At, string InquiryId);

/// <summary>
/// The family desk's work queue, kept in order as the desk's view folds events: with 100,000 inquiries, sorting
/// them all and scoring every alerted pair again on each read took half a second. Each list is a sorted set, so
/// a read takes the first items and counts the rest without visiting them.
/// </summary>
/// <param name="Strong">Strong candidates of open inquiries not yet decided, best first (score, then inquiry and person ids).</param>
/// <param name="StrongByInquiry">The same pairs by inquiry, with their scores: what a decision, a close or an erasure takes off.</param>
/// <param name="StrongByPerson">The same pairs by person: what a correction scores again and an erasure takes off.</param>
/// <param name="Open">Registered inquiries not closed, the longest untouched first.</param>
/// <param name="ToInform">Open inquiries with a confirmed match whose family is not yet told, the longest untouched first.</param>
public sealed record WorkQueue(
    ImmutableSortedSet<StrongPair> Strong,
    ImmutableDictionary<string, ImmutableDictionary<string, int>> StrongByInquiry,
    ImmutableDictionary<string, ImmutableHashSet<string>> StrongByPerson,
    ImmutableSortedSet<Touched> Open,
    ImmutableSortedSet<Touched> ToInform)
{
    private static readonly Comparer<StrongPair> BestFirst = Comparer<StrongPair>.Create((a, b) =>
        a.Score != b.Score ? b.Score.CompareTo(a.Score)
        : string.CompareOrdinal(a.InquiryId, b.InquiryId) is var byInquiry and not 0 ? byInquiry
        : string.CompareOrdinal(a.PersonId, b.PersonId));

    private static readonly Comparer<Touched> LongestUntouchedFirst = Comparer<Touched>.Create((a, b) =>
        a.At != b.At ? a.At.CompareTo(b.At) : string.CompareOrdinal(a.InquiryId, b.InquiryId));

    public static readonly WorkQueue Empty = new(ImmutableSortedSet.Create<StrongPair>(BestFirst),
        ImmutableDictionary<string, ImmutableDictionary<string, int>>.Empty, ImmutableDictionary<string, ImmutableHashSet<string>>.Empty,
        ImmutableSortedSet.Create<Touched>(LongestUntouchedFirst), ImmutableSortedSet.Create<Touched>(LongestUntouchedFirst));

    /// <summary>Open inquiries nobody touched before <paramref name="before"/>, the longest untouched first, and how many there are.</summary>
    public (IEnumerable<Touched> Items, int Count) UntouchedBefore(DateTimeOffset before)
    {
        var at = Open.IndexOf(new Touched(before, "")); // no id is empty: where the first touched at or after it would be
        var count = at >= 0 ? at : ~at;
        return (Open.Take(count), count);
    }

    /// <summary>
    /// The queue after an event the desk folded from <paramref name="before"/> into <paramref name="after"/>, raising
    /// <paramref name="alerts"/>. A pair leaves it when decided, when its inquiry closes or is erased, when its person is
    /// erased, and when a correction weakens it; a correction that makes it strong again alerts it again.
    /// </summary>
    internal WorkQueue Evolve(FamilyDesk before, FamilyDesk after, object e, IReadOnlyList<CandidateAlert> alerts)
    {
        var queue = this;
        switch (e)
        {
            case IInquiryEvent i:
                var inquiry = after.Inquiries[i.Inquiry];
                queue = queue.Retouched(before.Inquiries.GetValueOrDefault(i.Inquiry), inquiry);
                if (inquiry.Closed || i is InquiryDetailsErased) queue = queue.WithoutInquiry(i.Inquiry);
                else if (i is MatchDecided d) queue = queue.Without(d.Inquiry, d.Person);
                break;
            case PersonDetailsErased x:
                queue = queue.WithoutPerson(x.Person);
                break;
            case PersonRecordCorrected c when before.Persons.TryGetValue(c.Person, out var was) && after.Persons[c.Person] is var person
                                              && person != was:
                foreach (var inquiryId in StrongByPerson.GetValueOrDefault(person.Id, []))
                {
                    queue = queue.Without(inquiryId, person.Id);
                    if (Matcher.Score(person.Id, after.InquiryProfiles[inquiryId], person.Profile) is { Strong: true } still)
                        queue = queue.With(new StrongPair(inquiryId, person.Id, still.Score));
                }
                break;
        }
        foreach (var a in alerts) queue = queue.Without(a.Inquiry, a.Person).With(new StrongPair(a.Inquiry, a.Person, a.Score));
        return queue;
    }

    private static bool IsOpen(Inquiry? i) => i is { Registered: true, Closed: false };

    private static Touched? Key(Inquiry? i, bool listed) => listed ? new Touched(i!.LastTouched.GetValueOrDefault(), i.Id) : null;

    private WorkQueue Retouched(Inquiry? was, Inquiry now) => this with
    {
        Open = Moved(Open, Key(was, IsOpen(was)), Key(now, IsOpen(now))),
        ToInform = Moved(ToInform, Key(was, IsOpen(was) && was!.Stage == CaseStage.CandidateConfirmed),
            Key(now, IsOpen(now) && now.Stage == CaseStage.CandidateConfirmed)),
    };

    private static ImmutableSortedSet<Touched> Moved(ImmutableSortedSet<Touched> set, Touched? from, Touched? to) =>
        from == to ? set
        : to is { } added ? (from is { } removed ? set.Remove(removed) : set).Add(added)
        : set.Remove(from!.Value);

    private WorkQueue With(StrongPair pair) => this with
    {
        Strong = Strong.Add(pair),
        StrongByInquiry = StrongByInquiry.SetItem(pair.InquiryId,
            StrongByInquiry.GetValueOrDefault(pair.InquiryId, ImmutableDictionary<string, int>.Empty).SetItem(pair.PersonId, pair.Score)),
        StrongByPerson = StrongByPerson.SetItem(pair.PersonId, StrongByPerson.GetValueOrDefault(pair.PersonId, []).Add(pair.InquiryId)),
    };

    private WorkQueue Without(string inquiryId, string personId)
    {
        if (!StrongByInquiry.TryGetValue(inquiryId, out var persons) || !persons.TryGetValue(personId, out var score)) return this;
        var (leftOfInquiry, leftOfPerson) = (persons.Remove(personId), StrongByPerson[personId].Remove(inquiryId));
        return this with
        {
            Strong = Strong.Remove(new StrongPair(inquiryId, personId, score)),
            StrongByInquiry = leftOfInquiry.IsEmpty ? StrongByInquiry.Remove(inquiryId) : StrongByInquiry.SetItem(inquiryId, leftOfInquiry),
            StrongByPerson = leftOfPerson.IsEmpty ? StrongByPerson.Remove(personId) : StrongByPerson.SetItem(personId, leftOfPerson),
        };
    }

    private WorkQueue WithoutInquiry(string inquiryId) =>
        StrongByInquiry.GetValueOrDefault(inquiryId, ImmutableDictionary<string, int>.Empty).Keys.Aggregate(this, (q, p) => q.Without(inquiryId, p));

    private WorkQueue WithoutPerson(string personId) =>
        StrongByPerson.GetValueOrDefault(personId, []).Aggregate(this, (q, i) => q.Without(i, personId));
}

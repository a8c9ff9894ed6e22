using System.Collections.Immutable;
using System.Runtime.InteropServices;
using Coordinator.Domain.Sectors;
using KeyIndex = System.Collections.Immutable.ImmutableDictionary<string, Coordinator.Domain.Family.Filed>;

namespace Coordinator.Domain.Family;

/// <summary>A found person as the family desk sees them: the record as last corrected, and where and when they were found.</summary>
public sealed record RecordedPerson(
    string Id, SectorRef Sector, string Team, DateTimeOffset FoundAt, PersonDetails Details, int Corrections, Profile Profile,
    bool OnNoticeBoard = false);

/// <summary>A candidate as shown to the desk: the match, with the decision already taken on it, if any.</summary>
public sealed record DeskCandidate(string PersonId, string InquiryId, int Score, bool Strong, ImmutableArray<string> Reasons,
    MatchDecision? Decision);

/// <summary>A strong candidate that appeared with this event: the family desk's live alert.</summary>
public sealed record CandidateAlert(string Inquiry, string Person, int Score, ImmutableArray<string> Reasons, SectorRef Sector, DateTimeOffset At);

/// <summary>
/// The family desk's view, folded from the journal like the board: every named person found, every inquiry,
/// and indexes by phonetic key so matching compares a name with the few records that share a word with it,
/// not with every record. Strong candidates, looked for on every person found and every inquiry registered,
/// come from the few records filed under the same given name and another word (<see cref="Profile.StrongKeys"/>); the names alone
/// bound a score (<see cref="Matcher.NameAgreement.Ceiling"/>), so only records that can still make the list
/// are scored in full.
/// </summary>
public sealed record FamilyDesk(
    ImmutableDictionary<string, RecordedPerson> Persons,
    ImmutableDictionary<string, Inquiry> Inquiries,
    ImmutableDictionary<string, Profile> InquiryProfiles,
    KeyIndex PersonsByKey,
    KeyIndex InquiriesByKey)
{
    public const int MaxCandidates = 20;
    /// <summary>Records scored per query at most: those sharing the most name words first.</summary>
    private const int MaxScored = 5000;

    public static readonly FamilyDesk Empty = new(
        ImmutableDictionary<string, RecordedPerson>.Empty, ImmutableDictionary<string, Inquiry>.Empty, ImmutableDictionary<string, Profile>.Empty,
        KeyIndex.Empty, KeyIndex.Empty);

    /// <summary>
    /// A desk from its records and its queue, with everything derived from them worked out again: each record's
    /// profile (on every core: 120,000 records take seconds) and the key indexes. What a checkpoint stores: the
    /// profiles were most of its bytes, and the indexes hold each profile once per name key.
    /// </summary>
    public static FamilyDesk FromRecords(IEnumerable<RecordedPerson> persons, IEnumerable<Inquiry> inquiries, WorkQueue queue)
    {
        var memo = new NameMemo();
        var profiled = persons.AsParallel()
            .Select(p => p with { Profile = p.Details.IsErased ? Profile.None : Profile.Of(p.Details, p.FoundAt, memo) }).ToArray();
        var all = inquiries.ToArray();
        var inquiryProfiles = all.AsParallel().Where(i => i.Details is { IsErased: false })
            .Select(i => KeyValuePair.Create(i.Id, Profile.Of(i.Details!, memo))).ToArray();
        return new(ImmutableDictionary.CreateRange(profiled.Select(p => KeyValuePair.Create(p.Id, p))),
            ImmutableDictionary.CreateRange(all.Select(i => KeyValuePair.Create(i.Id, i))),
            ImmutableDictionary.CreateRange(inquiryProfiles),
            IndexAll(profiled.Select(p => (p.Id, p.Profile))), IndexAll(inquiryProfiles.Select(p => (p.Key, p.Value))))
        {
            Queue = queue
        };
    }

    /// <summary>
    /// The desk's work queue, kept current as events are folded so that reading it costs what it shows, not what
    /// the desk holds: the strong candidates of open inquiries that no officer has decided on (best first), and
    /// the open inquiries by when anyone last touched them (all of them, and those with a confirmed match whose
    /// family is not yet told).
    /// </summary>
    public WorkQueue Queue { get; init; } = WorkQueue.Empty;

    public (FamilyDesk Desk, IReadOnlyList<CandidateAlert> Alerts) Apply(object e)
    {
        var (desk, alerts) = Fold(e);
        var queue = Queue.Evolve(this, desk, e, alerts);
        return (queue == Queue ? desk : desk with { Queue = queue }, alerts);
    }

    /// <summary>Strong candidates of open inquiries that no officer has decided on, best first.</summary>
    public IEnumerable<StrongPair> UndecidedStrong() => Queue.Strong;

    private (FamilyDesk Desk, IReadOnlyList<CandidateAlert> Alerts) Fold(object e)
    {
        switch (e)
        {
            case PersonsFound { Persons.Length: > 0 } found:
                {
                    var desk = this;
                    var alerts = new List<CandidateAlert>();
                    foreach (var p in found.Persons)
                    {
                        if (p.Details.IsErased) // its key is gone: the record stays, unindexed
                        {
                            desk = desk with
                            {
                                Persons = desk.Persons.SetItem(p.Id,
                                    new RecordedPerson(p.Id, found.Sector, found.Team, found.At, p.Details, 0, Profile.None))
                            };
                            continue;
                        }
                        var person = new RecordedPerson(p.Id, found.Sector, found.Team, found.At, p.Details, 0, Profile.Of(p.Details, found.At));
                        desk = desk.WithPerson(person);
                        alerts.AddRange(desk.StrongFor(person, found.At));
                    }
                    return (desk, alerts);
                }
            case PersonRecordCorrected c when Persons.TryGetValue(c.Person, out var before) && !before.Details.IsErased && !c.Details.IsErased:
                {
                    var person = before with
                    {
                        Details = c.Details,
                        Corrections = before.Corrections + 1,
                        Profile = Profile.Of(c.Details, before.FoundAt)
                    };
                    var desk = WithPerson(person);
                    var already = StrongFor(before, c.At).Select(a => a.Inquiry).ToHashSet();
                    return (desk, [.. desk.StrongFor(person, c.At).Where(a => !already.Contains(a.Inquiry))]);
                }
            case PersonDetailsErased x when Persons.TryGetValue(x.Person, out var before):
                // Out of the index: an erased record is found by its id only, and matches nothing.
                return (this with
                {
                    Persons = Persons.SetItem(x.Person, before with { Details = PersonDetails.Erased, Profile = Profile.None }),
                    PersonsByKey = Unindex(PersonsByKey, before.Profile, before.Id),
                }, []);
            case PersonNoticeDecided n when Persons.TryGetValue(n.Person, out var person):
                return (this with { Persons = Persons.SetItem(n.Person, person with { OnNoticeBoard = n.Publish }) }, []);
            case IInquiryEvent i:
                {
                    var inquiry = Inquiries.GetValueOrDefault(i.Inquiry, Inquiry.Empty(i.Inquiry)).Evolve(i);
                    var desk = this with { Inquiries = Inquiries.SetItem(inquiry.Id, inquiry) };
                    if (i is InquiryDetailsErased && InquiryProfiles.TryGetValue(i.Inquiry, out var erased))
                        return (desk with
                        {
                            InquiryProfiles = InquiryProfiles.Remove(i.Inquiry),
                            InquiriesByKey = Unindex(InquiriesByKey, erased, i.Inquiry)
                        }, []);
                    if (i is not InquiryRegistered r || r.Details.IsErased) return (desk, []);
                    var profile = Profile.Of(r.Details);
                    desk = desk with
                    {
                        InquiryProfiles = InquiryProfiles.SetItem(r.Inquiry, profile),
                        InquiriesByKey = Index(InquiryProfiles.TryGetValue(r.Inquiry, out var filed) ? Unindex(InquiriesByKey, filed, r.Inquiry)
                            : InquiriesByKey, profile, r.Inquiry)
                    };
                    return (desk, [.. Under(PersonsByKey, profile.StrongKeys)
                    .Select(id => (Person: Persons[id], Names: Matcher.Agreement(profile, Persons[id].Profile)))
                    .Where(x => x.Names.MayBeStrong)
                    .Select(x => Matcher.Score(x.Person.Id, profile, x.Person.Profile, x.Names))
                    .Where(c => c.Strong)
                    .Select(c => new CandidateAlert(r.Inquiry, c.Id, c.Score, c.Reasons, Persons[c.Id].Sector, r.At))]);
                }
            default:
                return (this, []);
        }
    }

    /// <summary>Found persons who may be the one this inquiry looks for, best first.</summary>
    public IReadOnlyList<DeskCandidate> CandidatesForInquiry(string inquiryId) =>
        InquiryProfiles.TryGetValue(inquiryId, out var profile) ? CandidatesFor(Inquiries[inquiryId], profile) : [];

    /// <summary>Candidates for an inquiry as its entity has it now, which this view may not have read yet.</summary>
    public IReadOnlyList<DeskCandidate> CandidatesFor(Inquiry inquiry, Profile profile)
    {
        var (inquiryId, decisions) = (inquiry.Id, inquiry.Decisions);
        return [.. Best(Sharing(PersonsByKey, profile).Select(p => (p.Id, profile, p.Profile)))
            .Select(c =>
                new DeskCandidate(c.Id, inquiryId, c.Score, c.Strong, c.Reasons, decisions.TryGetValue(c.Id, out var d) ? d.Decision : null))];
    }

    /// <summary>Inquiries this found person may answer, best first; closed inquiries are left out.</summary>
    public IReadOnlyList<DeskCandidate> CandidatesForPerson(string personId)
    {
        if (!Persons.TryGetValue(personId, out var person)) return [];
        return [.. Best(Sharing(InquiriesByKey, person.Profile).Where(i => !Inquiries[i.Id].Closed)
            .Select(i => (i.Id, i.Profile, person.Profile)))
            .Select(c => new DeskCandidate(personId, c.Id, c.Score, c.Strong, c.Reasons,
                Inquiries[c.Id].Decisions.TryGetValue(personId, out var d) ? d.Decision : null))];
    }

    /// <summary>Found persons whose names resemble the query (any script), best first.</summary>
    public IReadOnlyList<(RecordedPerson Person, int Score)> SearchPersons(string query, int limit)
    {
        var tokens = Names.Tokens(query);
        if (tokens.Length == 0) return [];
        var profile = new Profile([tokens], [], [], null, false, []);
        return [.. Sharing(PersonsByKey, profile).Select(p => p.Id)
            .Select(id => (Person: Persons[id], Score: (int)Math.Round(100 * Math.Max(
                Persons[id].Profile.Names.Max(n => Matcher.TokenSetScore(tokens, n)),
                Matcher.TokenSetScore(tokens, Persons[id].Profile.Father) * 0.8))))
            .Where(x => x.Score >= 70)
            .OrderByDescending(x => x.Score).ThenBy(x => x.Person.Id, StringComparer.Ordinal)
            .Take(limit)];
    }

    private IEnumerable<CandidateAlert> StrongFor(RecordedPerson person, DateTimeOffset at) =>
        Under(InquiriesByKey, person.Profile.StrongKeys)
            .Where(id => !Inquiries[id].Closed && !Inquiries[id].Decisions.ContainsKey(person.Id))
            .Select(id => (Id: id, Names: Matcher.Agreement(InquiryProfiles[id], person.Profile)))
            .Where(x => x.Names.MayBeStrong)
            .Select(x => Matcher.Score(x.Id, InquiryProfiles[x.Id], person.Profile, x.Names))
            .Where(c => c.Strong)
            .Select(c => new CandidateAlert(c.Id, person.Id, c.Score, c.Reasons, person.Sector, at));

    /// <summary>
    /// The best <see cref="MaxCandidates"/> listed candidates, best first, as if every pair were scored: pairs are
    /// taken by the ceiling their names allow, and once the list is full, those whose ceiling is below its last
    /// score cannot enter it and are not scored.
    /// </summary>
    private static List<Candidate> Best(IEnumerable<(string Id, Profile Inquiry, Profile Person)> pairs)
    {
        var scratch = Scratch.OfThisThread;
        try
        {
            var byCeiling = scratch.Pairs;
            byCeiling.Clear();
            foreach (var (id, inquiry, person) in pairs)
                if (Matcher.Agreement(inquiry, person) is { Ceiling: >= Matcher.ListedFrom } names)
                    byCeiling.Add(new Scratch.Pair(names.Ceiling, id, inquiry, person, names));
            byCeiling.Sort(static (a, b) => b.Ceiling.CompareTo(a.Ceiling)); // ties in any order: the list is the same
            var list = new PriorityQueue<Scratch.Pair, (int, string)>(Comparer<(int Score, string Id)>.Create((a, b) =>
                a.Score != b.Score ? a.Score.CompareTo(b.Score) : string.CompareOrdinal(b.Id, a.Id))); // the worst first
            foreach (var pair in byCeiling)
            {
                if (list.Count == MaxCandidates && list.TryPeek(out _, out var last) && last.Item1 > pair.Ceiling) break;
                var (score, _) = Matcher.Weigh(pair.Inquiry, pair.Person, pair.Names);
                if (score < Matcher.ListedFrom) continue;
                if (list.Count < MaxCandidates) list.Enqueue(pair, (score, pair.Id));
                else list.EnqueueDequeue(pair, (score, pair.Id));
            }
            // Only the listed are scored with their reasons.
            return [.. list.UnorderedItems.Select(x => Matcher.Score(x.Element.Id, x.Element.Inquiry, x.Element.Person, x.Element.Names))
                .OrderByDescending(c => c.Score).ThenBy(c => c.Id, StringComparer.Ordinal)];
        }
        finally
        {
            scratch.Clear();
        }
    }

    /// <summary>
    /// A query's working set, kept by the thread that runs it: for a common name it holds thousands of records, and
    /// as new arrays on every query these landed on the large object heap and brought full collections of the
    /// whole view under load. Emptied after each query, so it keeps no one's record.
    /// </summary>
    private sealed class Scratch
    {
        [ThreadStatic] private static Scratch? _ofThisThread;

        public static Scratch OfThisThread => _ofThisThread ??= new Scratch();

        public readonly record struct Pair(int Ceiling, string Id, Profile Inquiry, Profile Person, Matcher.NameAgreement Names);

        public readonly Dictionary<string, (int Count, Profile Profile)> Hits = new(StringComparer.Ordinal);
        public readonly List<Pair> Pairs = [];

        public void Clear()
        {
            Hits.Clear();
            Pairs.Clear();
        }
    }

    /// <summary>Ids filed under any of the keys, each once.</summary>
    private static IEnumerable<string> Under(KeyIndex index, IEnumerable<string> keys)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in keys)
            if (index.TryGetValue(key, out var filed))
                foreach (var record in filed)
                    if (seen.Add(record.Id)) yield return record.Id;
    }

    /// <summary>
    /// Records sharing a name key with the profile, with their profiles (the index holds them: a look-up of each of
    /// thousands in the view cost as much as comparing their names), those sharing the most first, at most <see cref="MaxScored"/>.
    /// </summary>
    private static IEnumerable<(string Id, Profile Profile)> Sharing(KeyIndex index, Profile profile)
    {
        var hits = Scratch.OfThisThread.Hits;
        hits.Clear();
        foreach (var key in profile.Keys)
            if (index.TryGetValue(key, out var filed))
                foreach (var record in filed)
                {
                    ref var hit = ref CollectionsMarshal.GetValueRefOrAddDefault(hits, record.Id, out _);
                    hit = (hit.Count + 1, record.Profile);
                }
        IEnumerable<KeyValuePair<string, (int Count, Profile Profile)>> kept = hits.Count <= MaxScored ? hits
            : hits.OrderByDescending(h => h.Value.Count).ThenBy(h => h.Key, StringComparer.Ordinal).Take(MaxScored);
        return kept.Select(h => (h.Key, h.Value.Profile));
    }

    /// <summary>The person recorded, and filed under their name's keys (once: a record filed before is taken out first).</summary>
    private FamilyDesk WithPerson(RecordedPerson p)
    {
        var index = Persons.TryGetValue(p.Id, out var before) ? Unindex(PersonsByKey, before.Profile, p.Id) : PersonsByKey;
        return this with { Persons = Persons.SetItem(p.Id, p), PersonsByKey = Index(index, p.Profile, p.Id) };
    }

    private static KeyIndex Index(KeyIndex index, Profile profile, string id) =>
        profile.IndexKeys.Aggregate(index, (ix, key) => ix.SetItem(key, ix.GetValueOrDefault(key, Filed.Empty).With(new(id, profile))));

    private static KeyIndex IndexAll(IEnumerable<(string Id, Profile Profile)> records)
    {
        var filed = new Dictionary<string, List<Filed.Record>>(StringComparer.Ordinal);
        foreach (var (id, profile) in records)
            foreach (var key in profile.IndexKeys)
            {
                if (!filed.TryGetValue(key, out var ids)) filed[key] = ids = [];
                ids.Add(new(id, profile));
            }
        return KeyIndex.Empty.AddRange(filed.Select(f => KeyValuePair.Create(f.Key, Filed.Of(f.Value))));
    }

    private static KeyIndex Unindex(KeyIndex index, Profile profile, string id) =>
        profile.IndexKeys.Aggregate(index, (ix, key) => ix.TryGetValue(key, out var filed) && filed.Without(id) is var left
            ? left.Count == 0 ? ix.Remove(key) : ix.SetItem(key, left)
            : ix);
}

using System.Text.Json;
using Coordinator.Domain.Family;
using Coordinator.Domain.Sectors;
using Coordinator.Fixtures;

namespace Coordinator.Domain.Tests;

/// <summary>
/// The desk's view as a fold: the work queue it keeps in order equals the queue worked out from the whole view
/// (every alerted pair scored again, every open inquiry sorted) after any run of events, and a view folded in
/// parts equals one folded at once.
/// </summary>
public sealed class FamilyDeskFoldTests
{
    private static readonly DateTimeOffset Start = new(2025, 12, 10, 9, 0, 0, TimeSpan.Zero);
    private static readonly SectorRef Cell = new("saydnaya", "B2-C-14");
    private static readonly Author Desk = Author.Lead("desk");

    /// <summary>
    /// A desk's journal drawn at random from colliding names: persons found (Arabic) and inquiries (Latin), with
    /// persons found who are the ones some inquiries seek (strong candidates), decisions, closes, families informed,
    /// claims, corrections and erasures among them.
    /// </summary>
    private static List<object> Journal(int seed, int length)
    {
        var (random, population) = (new Random(seed), new NameVariants.Population(seed, scriptsApart: true));
        var (events, persons, inquiries) = (new List<object>(), new List<string>(), new List<InquiryRegistered>());
        var desk = FamilyDesk.Empty;
        for (var k = 0; events.Count < length; k++)
        {
            var at = Start.AddMinutes(k);
            string Person() => persons[random.Next(persons.Count)];
            string Inquiry() => inquiries[random.Next(inquiries.Count)].Inquiry;
            PersonDetails Sought() => inquiries[random.Next(inquiries.Count)].Details is var d
                ? new PersonDetails(d.Name, [], d.FatherName, null, d.BirthYear, null, d.HomeTown, null, null)
                : throw new InvalidOperationException();
            object? e = random.Next(20) switch
            {
                < 4 => new PersonsFound(Cell, "SAR-1", 1, 0, false, null, new ReportRef($"r-{k}", ""), at, Author.Team("SAR-1"))
                {
                    Persons = [.. Enumerable.Range(0, 1 + random.Next(3)).Select(n => new FoundPerson($"p-{k}-{n}", population.Person()))]
                },
                < 6 when inquiries.Count > 0 => new PersonsFound(Cell, "SAR-1", 1, 0, false, null, new ReportRef($"r-{k}", ""), at,
                    Author.Team("SAR-1"))
                { Persons = [new FoundPerson($"p-{k}", Sought())] },
                < 12 => new InquiryRegistered($"q-{k}", population.Inquiry(), at, Desk),
                < 14 when desk.Queue.Strong.Count > 0 => desk.Queue.Strong.ElementAt(random.Next(desk.Queue.Strong.Count)) is var pair
                    ? new MatchDecided(pair.InquiryId, pair.PersonId, random.Next(2) == 0 ? MatchDecision.Confirmed : MatchDecision.Rejected,
                        null, at, Desk)
                    : null,
                14 when inquiries.Count > 0 => new InquiryClosed(Inquiry(), "withdrawn", at, Desk),
                15 when desk.Queue.ToInform.Count > 0 => desk.Queue.ToInform.Min.InquiryId is var told
                    ? new FamilyInformed(told, desk.Inquiries[told].Decisions.First(d => d.Value.Decision == MatchDecision.Confirmed).Key,
                        InformedHow.Phone, null, at, Desk)
                    : null,
                16 when inquiries.Count > 0 => new CaseClaimed(Inquiry(), at.AddHours(4), at, Desk),
                17 when persons.Count > 0 => new PersonRecordCorrected(Cell, Person(), random.Next(2) == 0 ? population.Person() : Sought(),
                    "misspelt", at, Desk),
                18 when persons.Count > 0 => new PersonDetailsErased(Cell, Person(), "asked by the family", at, Desk),
                19 when inquiries.Count > 0 => new InquiryDetailsErased(Inquiry(), "asked by the family", at, Desk),
                _ => null,
            };
            if (e is null) continue;
            if (e is PersonsFound f) persons.AddRange(f.Persons.Select(p => p.Id));
            if (e is InquiryRegistered r) inquiries.Add(r);
            desk = desk.Apply(e).Desk;
            events.Add(e);
        }
        return events;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void The_queue_kept_in_the_fold_is_the_queue_worked_out_from_the_view(int seed)
    {
        var journal = Journal(seed, 3000);
        var desk = FamilyDesk.Empty;
        var alerted = new HashSet<(string Inquiry, string Person)>();
        var checkedStrong = 0;
        for (var k = 0; k < journal.Count; k++)
        {
            var (next, alerts) = desk.Apply(journal[k]);
            desk = next;
            alerted.UnionWith(alerts.Select(a => (a.Inquiry, a.Person)));
            if (journal[k] is MatchDecided d) alerted.Remove((d.Inquiry, d.Person));
            if (k % 100 != 99 && k != journal.Count - 1) continue;

            // As the queue was read before it was kept: every alerted pair scored again, every open inquiry sorted.
            var strong = alerted
                .Where(p => desk.Inquiries[p.Inquiry] is { Closed: false } i && !i.Decisions.ContainsKey(p.Person)
                    && desk.InquiryProfiles.ContainsKey(p.Inquiry))
                .Select(p => (p, c: Matcher.Score(p.Person, desk.InquiryProfiles[p.Inquiry], desk.Persons[p.Person].Profile)))
                .Where(x => x.c.Strong)
                .OrderByDescending(x => x.c.Score).ThenBy(x => x.p.Inquiry, StringComparer.Ordinal).ThenBy(x => x.p.Person, StringComparer.Ordinal)
                .Select(x => new StrongPair(x.p.Inquiry, x.p.Person, x.c.Score)).ToList();
            Assert.Equal(strong, desk.UndecidedStrong());
            checkedStrong += strong.Count;

            var open = desk.Inquiries.Values.Where(i => i.Registered && !i.Closed)
                .OrderBy(i => i.LastTouched).ThenBy(i => i.Id, StringComparer.Ordinal).ToList();
            Assert.Equal(open.Select(i => i.Id), desk.Queue.Open.Select(t => t.InquiryId));
            Assert.Equal(open.Where(i => i.Stage == CaseStage.CandidateConfirmed).Select(i => i.Id), desk.Queue.ToInform.Select(t => t.InquiryId));
            var before = Start.AddMinutes(k / 2);
            var (untouched, count) = desk.Queue.UntouchedBefore(before);
            Assert.Equal(open.Where(i => i.LastTouched < before).Select(i => i.Id), untouched.Select(t => t.InquiryId));
            Assert.Equal(open.Count(i => i.LastTouched < before), count);
        }
        Assert.True(checkedStrong > 0, "the journal raised no strong candidate: the queue was not tried");
        Assert.Contains(journal, e => e is FamilyInformed);
    }

    [Fact]
    public void A_desk_folded_in_parts_from_its_records_equals_one_folded_at_once()
    {
        var journal = Journal(4, 2000);
        var atOnce = journal.Aggregate(FamilyDesk.Empty, (desk, e) => desk.Apply(e).Desk);
        var part = FamilyDesk.Empty;
        foreach (var chunk in journal.Chunk(337))
        {
            // Where a projection started from its checkpoint would resume: its records and queue, profiles and indexes worked out again.
            var resumed = FamilyDesk.FromRecords(part.Persons.Values, part.Inquiries.Values, part.Queue);
            part = chunk.Aggregate(resumed, (desk, e) => desk.Apply(e).Desk);
        }
        Assert.Equal(JsonSerializer.Serialize(atOnce), JsonSerializer.Serialize(part));
        Assert.Contains(journal, e => e is MatchDecided);
        Assert.NotEmpty(atOnce.Queue.Open);
    }
}

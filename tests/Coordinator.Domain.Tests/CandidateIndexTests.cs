using Coordinator.Domain.Family;
using Coordinator.Domain.Sectors;
using Coordinator.Fixtures;

namespace Coordinator.Domain.Tests;

/// <summary>
/// The desk's indexed search against scoring every record, on the name-variant test set alone and planted in a
/// repetitive synthetic population: every true pair and every strong candidate the full scan lists, and an alert
/// for every strong pair, whether the person was found before the inquiry was registered or after.
/// </summary>
public sealed class CandidateIndexTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset At = new(2025, 12, 10, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(0, 0)]
    [InlineData(2000, 2000)]
    public void The_indexed_search_finds_what_scoring_every_person_finds(int persons, int inquiries)
    {
        var (found, sought) = NameVariants.Read();
        var population = new NameVariants.Population(42);
        var desk = FamilyDesk.Empty;
        var alerts = new HashSet<(string Inquiry, string Person)>();
        void Fold(object e)
        {
            var (next, raised) = desk.Apply(e);
            desk = next;
            alerts.UnionWith(raised.Select(a => (a.Inquiry, a.Person)));
        }
        PersonsFound Found(string id, PersonDetails details) =>
            new(new SectorRef("saydnaya", "B2-C-14"), "SAR-1", 1, 0, false, null, new ReportRef($"r-{id}", ""), At,
                Author.Team("SAR-1"))
            { Persons = [new FoundPerson(id, details)] };

        for (var i = 0; i < persons; i++) Fold(Found($"p-{i}", population.Person()));
        foreach (var (id, person) in found.Where((_, i) => i % 2 == 0)) Fold(Found(id, person));
        for (var i = 0; i < inquiries; i++) Fold(new InquiryRegistered($"q-{i}", population.Inquiry(), At, Author.Lead("desk")));
        foreach (var (id, inquiry) in sought) Fold(new InquiryRegistered(id, inquiry, At, Author.Lead("desk")));
        foreach (var (id, person) in found.Where((_, i) => i % 2 == 1)) Fold(Found(id, person));

        var (truePairs, listed, strong) = (0, 0, 0);
        foreach (var (id, _) in sought)
        {
            var full = NameVariants.FullScan(desk.InquiryProfiles[id], desk.Persons.Values);
            var indexed = desk.CandidatesForInquiry(id);
            // Weak candidates sharing no word of the name are not looked for (that is the index); true and strong ones are.
            Assert.Equal(full.Any(c => c.Id == id), indexed.Any(c => c.PersonId == id));
            Assert.Equal(full.Where(c => c.Strong).Select(c => (c.Id, c.Score)), indexed.Where(c => c.Strong).Select(c => (c.PersonId, c.Score)));
            foreach (var c in full.Where(c => c.Strong)) Assert.Contains((id, c.Id), alerts);
            if (found.Any(f => f.Id == id)) truePairs++;
            if (indexed.Any(c => c.PersonId == id)) listed++;
            if (full.Any(c => c.Id == id && c.Strong)) strong++;
        }
        output.WriteLine($"population {persons} persons, {inquiries} inquiries: true pairs {truePairs}, listed {listed} by both, strong {strong}, " +
            $"all alerted");
        Assert.Equal(truePairs, listed);

        // The work queue holds exactly the alerted pairs while nobody has decided on them; a decision or a close takes them off.
        List<(string, string)> Queue() => [.. desk.UndecidedStrong().Select(c => (c.InquiryId, c.PersonId)).Order()];
        Assert.NotEmpty(alerts);
        Assert.Equal(alerts.Order(), Queue());
        var (decided, rejected) = alerts.Order().First();
        Fold(new MatchDecided(decided, rejected, MatchDecision.Rejected, null, At, Author.Lead("desk")));
        var closed = alerts.Select(a => a.Inquiry).Order().Last(i => i != decided);
        Fold(new InquiryClosed(closed, "withdrawn", At, Author.Lead("desk")));
        Assert.Equal(alerts.Where(a => a != (decided, rejected) && a.Inquiry != closed).Order(), Queue());
    }
}

using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Coordinator.Domain;
using Coordinator.Domain.Family;
using Coordinator.Domain.Sectors;
using static Coordinator.Domain.Tests.Scenario;

namespace Coordinator.Domain.Tests;

/// <summary>
/// Fingerprints are stored with every reported event and in sector snapshots, and a retry is told from a reused
/// report id by comparing them: a fingerprint once written must be computed the same forever. Today's are keyed;
/// the unkeyed ones older journals hold are still recognised.
/// </summary>
public class ReportFingerprintTests
{
    private static readonly PersonDetails Named = new("أحمد \"Abu\" <Ali> & Co + 'x' `y` \\ / \n\t\r\b\f\u0001\u007f é 😀",
        ["Ahmad", "أحمد"], "Mahmoud", null, 1990, null, "حمص", "alive", "Al-Mujtahid hospital");

    private static ReportPersonsFound Found(params PersonDetails[] persons) =>
        new(Cell, "r-found", "K9-1", 2, 1, true, "cell 14 <b>", [.. persons], Author.Team("K9-1"));

    [Fact]
    public void A_persons_found_report_has_the_unkeyed_fingerprint_older_journals_stored()
    {
        Assert.Equal("0ca75d6754429f39581e953ce52f63c812abc8fd68ff3322c09162ac55141443", ReportPrints.Unkeyed(Found(Named, PersonDetails.Erased)));
        Assert.Equal("1f6f8238356fe0a0671ce4d964c273c275b5515a16eb09f0af6502b34a669080", ReportPrints.Unkeyed(Found()));
    }

    [Fact]
    public void The_print_is_an_HMAC_of_the_content_under_the_key_and_not_its_plain_hash()
    {
        var found = Found(Named);
        var key = "another cluster's key"u8.ToArray();
        Assert.Equal(Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(found.Content))), new ReportPrints(key).Of(found));
        Assert.NotEqual(ReportPrints.Unkeyed(found), Prints.Of(found));
        Assert.NotEqual(Prints.Of(found), new ReportPrints(key).Of(found));
        Assert.Equal(Prints.Of(found), Prints.Of(Found(Named)));
        Assert.NotEqual(Prints.Of(found), Prints.Of(Found(Named with { Name = "another name" })));
    }

    private static readonly PersonDetails Halabi = new("محمد أحمد الحلبي", ["Mohamed al-Halabi"], "أحمد", null, null, 38, "حمص", null, null);

    private static Sector Recorded(out ReportPersonsFound report)
    {
        report = Found(Halabi);
        return InProgressWith("K9-1").Then(report);
    }

    [Fact]
    public void A_retry_matches_the_keyed_print_it_was_recorded_with_and_other_content_under_its_id_is_refused()
    {
        var sector = Recorded(out var report);
        Assert.Equal(Prints.Of(report), sector.Reports[report.ReportId].Fingerprint);
        Assert.IsType<Decision<ISectorEvent>.Repeated>(sector.Decide(report, Now));
        Assert.Equal(RefusalCode.ReportIdReused, Refused(sector.Decide(report with { Alive = 3 }, Now)).Code);
    }

    [Fact]
    public void A_report_in_an_older_journal_retried_matches_its_unkeyed_print_and_what_is_written_next_is_keyed()
    {
        var report = Found(Halabi);
        var legacy = new PersonsFound(Cell, "K9-1", report.Alive, report.Deceased, report.NeedsMedical, report.Details,
            new ReportRef(report.ReportId, ReportPrints.Unkeyed(report)), Now, report.By)
        { Persons = [new FoundPerson("p-1", Halabi)] };
        var sector = InProgressWith("K9-1").Evolve(legacy);

        Assert.IsType<Decision<ISectorEvent>.Repeated>(sector.Decide(report, Now));
        Assert.Equal(RefusalCode.ReportIdReused, Refused(sector.Decide(report with { NeedsMedical = !report.NeedsMedical }, Now)).Code);
        var next = Assert.IsType<SectorCleared>(Assert.Single(Events(sector.Decide(Cleared("K9-1", "r-next"), Now))));
        Assert.Equal(Prints.Of(Cleared("K9-1", "r-next")), next.Report.Fingerprint);
    }

    /// <summary>After the key changes, a report recorded before it no longer matches its retry: docs/security.md says what follows.</summary>
    [Fact]
    public void Under_another_key_a_retry_of_a_recorded_report_is_a_reused_id()
    {
        var sector = Recorded(out var report);
        Assert.Equal(RefusalCode.ReportIdReused, Refused(sector.Decide(report, Now, new ReportPrints("rotated"u8.ToArray()))).Code);
    }

    /// <summary>The persons are part of the print as System.Text.Json's default output wrote them when fingerprints were first stored.</summary>
    [Fact]
    public void Every_character_of_a_name_is_printed_as_the_first_stored_fingerprints_printed_it()
    {
        var texts = Enumerable.Range(0, 0x10000).Select(c => $"a{(char)c}b").Concat(Enumerable.Range(0, 0x10000).Select(c => $"é{(char)c}"))
            .Concat(["😀", "a😀<", "\ud83d", "\ude00x", "x\ud83d", "é\ud83dx", "", "plain"]);
        foreach (var text in texts)
        {
            var found = Found(Named with { Name = text, HomeTown = text, AltNames = [text] });
            Assert.True(FirstPrint(found) == ReportPrints.Unkeyed(found), $"U+{string.Join(" U+", text.Select(c => ((int)c).ToString("X4")))}");
        }
    }

    /// <summary>How fingerprints of persons-found reports were first computed.</summary>
    private static string FirstPrint(ReportPersonsFound r) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('|',
            nameof(ReportPersonsFound), r.Sector, r.Team, r.Alive, r.Deceased, r.NeedsMedical, r.Details ?? "",
            JsonSerializer.Serialize(r.Persons.IsDefault ? [] : r.Persons)))));
}

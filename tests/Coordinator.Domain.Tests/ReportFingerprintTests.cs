using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Coordinator.Domain.Family;
using Coordinator.Domain.Sectors;
using static Coordinator.Domain.Tests.Scenario;

namespace Coordinator.Domain.Tests;

/// <summary>
/// Fingerprints are stored with every reported event and in sector snapshots, and a retry is told from a reused
/// report id by comparing them: a fingerprint once written must be computed the same forever.
/// </summary>
public class ReportFingerprintTests
{
    private static readonly PersonDetails Named = new("أحمد \"Abu\" <Ali> & Co + 'x' `y` \\ / \n\t\r\b\f\u0001\u007f é 😀",
        ["Ahmad", "أحمد"], "Mahmoud", null, 1990, null, "حمص", "alive", "Al-Mujtahid hospital");

    private static ReportPersonsFound Found(params PersonDetails[] persons) =>
        new(Cell, "r-found", "K9-1", 2, 1, true, "cell 14 <b>", [.. persons], Author.Team("K9-1"));

    [Fact]
    public void A_persons_found_report_has_the_fingerprint_it_was_stored_with()
    {
        Assert.Equal("0ca75d6754429f39581e953ce52f63c812abc8fd68ff3322c09162ac55141443", Found(Named, PersonDetails.Erased).Fingerprint);
        Assert.Equal("1f6f8238356fe0a0671ce4d964c273c275b5515a16eb09f0af6502b34a669080", Found().Fingerprint);
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
            Assert.True(FirstPrint(found) == found.Fingerprint, $"U+{string.Join(" U+", text.Select(c => ((int)c).ToString("X4")))}");
        }
    }

    /// <summary>How fingerprints of persons-found reports were first computed.</summary>
    private static string FirstPrint(ReportPersonsFound r) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('|',
            nameof(ReportPersonsFound), r.Sector, r.Team, r.Alive, r.Deceased, r.NeedsMedical, r.Details ?? "",
            JsonSerializer.Serialize(r.Persons.IsDefault ? [] : r.Persons)))));
}

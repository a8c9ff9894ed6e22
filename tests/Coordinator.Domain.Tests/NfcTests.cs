using System.Globalization;
using System.Text;
using Coordinator.Domain.Unicode;

namespace Coordinator.Domain.Tests;

/// <summary>NFC as the Unicode standard defines it, checked against cases Python's unicodedata normalised (Fixtures/nfc-cases.txt).</summary>
public class NfcTests
{
    [Theory]
    [InlineData("\u0627\u0654", "\u0623")] // alef + hamza above, typed as two: أ
    [InlineData("\u0627\u0655", "\u0625")] // إ
    [InlineData("\u0627\u0653", "\u0622")] // آ
    [InlineData("\u064A\u0654", "\u0626")] // ئ
    [InlineData("Jose\u0301", "José")]
    [InlineData("a\u0323\u0302", "\u1EAD")] // marks in canonical order compose in one step: ậ
    [InlineData("a\u0302\u0323", "\u1EAD")] // and in the other order too
    [InlineData("\u1100\u1161\u11A8", "\uAC01")] // Hangul jamo to a syllable
    [InlineData("\u212B", "\u00C5")] // a singleton (angstrom sign) becomes the letter
    [InlineData("محمد", "محمد")]
    [InlineData("", "")]
    public void Text_typed_two_ways_becomes_one(string typed, string expected) => Assert.Equal(expected, Nfc.Normalize(typed));

    [Fact]
    public void Text_already_composed_comes_back_as_the_same_string()
    {
        const string name = "محمد أحمد الحلبي Mohamed Müller";
        Assert.Same(name, Nfc.Normalize(name));
    }

    [Fact]
    public void Every_case_from_the_unicode_data_normalises_as_the_standard_says()
    {
        var failures = new List<string>();
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Fixtures", "nfc-cases.txt"));
        foreach (var line in lines)
        {
            var parts = line.Split('\t');
            var (input, expected) = (Text(parts[0]), Text(parts[1]));
            if (Nfc.Normalize(input) != expected) failures.Add(line);
        }
        Assert.True(lines.Length > 5000, $"only {lines.Length} cases");
        Assert.True(failures.Count == 0, $"{failures.Count} of {lines.Length} differ, e.g. {string.Join(" | ", failures.Take(5))}");
    }

    private static string Text(string hex) => string.Concat(hex.Split(' ', StringSplitOptions.RemoveEmptyEntries)
        .Select(h => new Rune(int.Parse(h, NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToString()));
}

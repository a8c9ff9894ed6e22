using Coordinator.Contracts;

namespace Coordinator.Node.Tests;

/// <summary>The CSV export's formula guard: a field a spreadsheet would run is shown as text instead.</summary>
public class CsvTextTests
{
    [Theory]
    [InlineData("=1+1", "\"'=1+1\"")]
    [InlineData("+1", "\"'+1\"")]
    [InlineData("-1", "\"'-1\"")]
    [InlineData("@SUM(A1)", "\"'@SUM(A1)\"")]
    [InlineData("\t=1+1", "\"'\t=1+1\"")]
    [InlineData("\r=1+1", "\"'\r=1+1\"")]
    [InlineData("\tabc", "\"'\tabc\"")]
    public void A_leading_formula_character_tab_or_carriage_return_is_neutralised(string field, string written) =>
        Assert.Equal(written, CsvText.Field(field));

    [Theory]
    [InlineData("a;=1+1", "\"'a;=1+1\"")]
    [InlineData("Rana; Rania; =HYPERLINK(\"x\")", "\"'Rana; Rania; =HYPERLINK(\"\"x\"\")\"")] // other names are joined with "; "
    [InlineData("a,+1", "\"'a,+1\"")]
    [InlineData("a|-1", "\"'a|-1\"")]
    [InlineData("a\t@x", "\"'a\t@x\"")]
    [InlineData("line one\n=1+1", "\"'line one\n=1+1\"")]
    [InlineData("a\r\n  -2", "\"'a\r\n  -2\"")]
    [InlineData("   =1+1", "\"'   =1+1\"")]
    [InlineData("a; \u00A0=1", "\"'a; \u00A0=1\"")]
    public void A_formula_after_any_separator_or_leading_spaces_is_neutralised(string field, string written) =>
        Assert.Equal(written, CsvText.Field(field));

    [Theory]
    [InlineData("محمد", "محمد")]
    [InlineData("Rana; Rania", "Rana; Rania")]
    [InlineData("Al-Halabi", "Al-Halabi")]
    [InlineData("a - b = c", "a - b = c")]
    [InlineData("2024-12-09T08:35:00.0000000+00:00", "2024-12-09T08:35:00.0000000+00:00")]
    [InlineData("K9-1 | K9 search | L-1 D-0", "K9-1 | K9 search | L-1 D-0")]
    [InlineData("Homs, Syria", "\"Homs, Syria\"")]
    [InlineData("", "")]
    public void Other_fields_are_written_as_they_are(string field, string written) =>
        Assert.Equal(written, CsvText.Field(field));
}

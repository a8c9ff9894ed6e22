using Coordinator.Contracts;

namespace Coordinator.Node.Tests;

/// <summary>The CSV export's formula guard: a field a spreadsheet would run is shown as text instead.</summary>
public class CsvTextTests
{
    [Theory]
    [InlineData("=1+1", "'=1+1")]
    [InlineData("+1", "'+1")]
    [InlineData("-1", "'-1")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\t=1+1", "'\t=1+1")]
    [InlineData("\r=1+1", "\"'\r=1+1\"")]
    [InlineData("محمد", "محمد")]
    public void A_leading_formula_character_tab_or_carriage_return_is_neutralised(string field, string written) =>
        Assert.Equal(written, CsvText.Field(field));
}

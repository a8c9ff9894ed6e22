using Coordinator.Domain.Family;

namespace Coordinator.Domain.Tests;

/// <summary>The erasure ledger's text: records only, ids only, a torn last line left out, a bad line refused by its number.</summary>
public class ErasureLedgerTests
{
    [Fact]
    public void A_ledger_lists_each_record_once_in_the_order_first_listed()
    {
        var read = ErasureLedger.Parse("person:p-3f9a0c1d2e4b5a6c\ninquiry:inq-7\r\n\n  person:p-3f9a0c1d2e4b5a6c\n");
        Assert.Equal(["person:p-3f9a0c1d2e4b5a6c", "inquiry:inq-7"], read.Records);
        Assert.False(read.Torn);
        Assert.Empty(ErasureLedger.Parse("").Records);
        // Two ledgers merge by putting their lines together.
        Assert.Equal(["inquiry:inq-7", "person:p-1", "person:p-2"],
            ErasureLedger.Parse("inquiry:inq-7\nperson:p-1\n" + "person:p-1\nperson:p-2\n").Records);
    }

    [Theory]
    [InlineData("person:p-1\nYoussef Haddad\n", 2)]
    [InlineData("facility:saydnaya\n", 1)]
    [InlineData("person:\n", 1)]
    [InlineData("person:p 1\n", 1)]
    [InlineData("person:p-1,Homs\n", 1)]
    [InlineData("p-1\nperson:p-2\n", 1)]
    public void A_finished_line_that_is_not_a_record_refuses_the_ledger_by_its_number_without_repeating_it(string text, int line)
    {
        var refused = Assert.Throws<FormatException>(() => ErasureLedger.Parse(text));
        Assert.StartsWith($"line {line} is not a record", refused.Message);
        Assert.DoesNotContain("Haddad", refused.Message);
    }

    [Fact]
    public void An_unfinished_last_line_is_a_write_cut_short_and_is_left_out_unless_it_is_a_record()
    {
        var torn = ErasureLedger.Parse("person:p-1\ninqu");
        Assert.Equal(["person:p-1"], torn.Records);
        Assert.True(torn.Torn);
        Assert.Equal(["person:p-1", "inquiry:inq-7"], ErasureLedger.Parse("person:p-1\ninquiry:inq-7").Records);
    }

    [Fact]
    public void Records_are_a_kind_and_an_id_of_the_ids_rule()
    {
        Assert.True(ErasureLedger.IsRecord("person:p-1"));
        Assert.True(ErasureLedger.IsRecord("inquiry:" + new string('a', Ids.MaxLength)));
        Assert.False(ErasureLedger.IsRecord("inquiry:" + new string('a', Ids.MaxLength + 1)));
        Assert.False(ErasureLedger.IsRecord("Person:p-1"));
        Assert.False(ErasureLedger.IsRecord("person:p-1:x"));
    }
}

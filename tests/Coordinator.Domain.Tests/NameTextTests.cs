using Coordinator.Domain;
using Coordinator.Domain.Facilities;
using Coordinator.Domain.Family;
using Coordinator.Domain.Teams;
using static Coordinator.Domain.Tests.Scenario;

namespace Coordinator.Domain.Tests;

/// <summary>
/// Names refuse every default-ignorable code point, control characters and line breaks; Arabic letters, Arabic-Indic digits,
/// the tatweel, spaces and accents are fine.
/// </summary>
public class NameTextTests
{
    public static TheoryData<int> RefusedCodePoints() =>
    [
        // bidi controls and zero-width characters
        0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069, 0x200E, 0x200F, 0x061C, 0x200B, 0x200C, 0x200D, 0x2060,
        0xFEFF,
        // the rest of Default_Ignorable_Code_Point, each range's ends
        0x00AD, 0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180B, 0x180E, 0x180F, 0x2061, 0x2063, 0x2064, 0x2065, 0x206A, 0x206F, 0x3164,
        0xFE00, 0xFE0F, 0xFFA0, 0xFFF0, 0xFFF8, 0x1BCA0, 0x1BCA3, 0x1D173, 0x1D17A,
        0xE0000, 0xE0001, 0xE0020, 0xE0041, 0xE007F, 0xE0100, 0xE01EF, 0xE0FFF, // tags and variation selectors: surrogate pairs
        // control characters, line and paragraph separators
        0x0000, 0x0009, 0x000A, 0x000D, 0x001B, 0x007F, 0x0085, 0x009F, 0x2028, 0x2029,
    ];

    [Theory]
    [MemberData(nameof(RefusedCodePoints))]
    public void Every_name_refuses_an_invisible_control_or_line_breaking_code_point(int codePoint)
    {
        var name = $"Moh{char.ConvertFromUtf32(codePoint)}amed";
        Assert.True(NameText.IsRefused(codePoint));
        var refusal = NameText.Check("name", name);
        Assert.Equal(RefusalCode.InvalidField, refusal?.Code);
        Assert.Contains($"name contains U+{codePoint:X4}:", refusal!.Reason);
        Assert.Equal(RefusalCode.InvalidField, new PersonDetails(name, [], null, null, null, null, null, null, null).Invalid(2026)?.Code);
        Assert.Equal(RefusalCode.InvalidField, new PersonDetails("Mohamed", [name], null, null, null, null, null, null, null).Invalid(2026)?.Code);
        Assert.Equal(RefusalCode.InvalidField, new InquiryDetails(name, [], null, null, null, null, null, null).Invalid(2026)?.Code);
        Assert.Equal(RefusalCode.InvalidField, Refused(Facility.Empty("f").Decide(new RegisterFacility("f", name, [], null, Lead), Now)).Code);
        Assert.Equal(RefusalCode.InvalidField,
            Refused(Facility.Empty("f").Decide(new RegisterFacility("f", "Saydnaya", [name], null, Lead), Now)).Code);
        Assert.Equal(RefusalCode.InvalidField, Refused(Team.Empty("T").Decide(new RegisterTeam("T", name, 2, [Capability.Search], Lead), Now)).Code);
    }

    [Fact]
    public void A_supplementary_code_point_is_named_whole_and_a_lone_surrogate_is_refused()
    {
        Assert.Contains("U+E0041:", NameText.Check("name", "Ali󠁁")!.Reason);
        Assert.Contains("U+D800:", NameText.Check("name", "Ali\uD800")!.Reason);
        Assert.Contains("U+DC00:", NameText.Check("name", "Ali\uDC00x")!.Reason);
        Assert.Null(NameText.Check("name", "Ali \U0001F600")); // an emoji is visible: not this rule's business
    }

    [Theory]
    [InlineData("محمد أحمد الحلبي")]
    [InlineData("زنزانة ١٢ - الطابق ٢")]
    [InlineData("Sierra One")]
    [InlineData("Müller")]
    [InlineData("François Zoë Ñúñez")]
    [InlineData("محمـــد")] // the tatweel (U+0640) stretches a word visibly: not default-ignorable
    [InlineData("عبد الله ٣ \u00A0 ۴")] // a no-break space and an Extended Arabic-Indic digit
    public void Arabic_letters_Arabic_Indic_digits_tatweel_spaces_and_accents_are_names(string name)
    {
        Assert.Null(NameText.Check("name", name));
        Assert.Null(new PersonDetails(name, [], null, null, null, null, null, null, null).Invalid(2026));
        Assert.NotEmpty(Events(Facility.Empty("f").Decide(new RegisterFacility("f", name, [], null, Lead), Now)));
        Assert.NotEmpty(Events(Team.Empty("T").Decide(new RegisterTeam("T", name, 2, [Capability.Search], Lead), Now)));
    }
}

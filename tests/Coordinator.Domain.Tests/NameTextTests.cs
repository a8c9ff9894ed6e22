using Coordinator.Domain;
using Coordinator.Domain.Facilities;
using Coordinator.Domain.Family;
using Coordinator.Domain.Teams;
using static Coordinator.Domain.Tests.Scenario;

namespace Coordinator.Domain.Tests;

/// <summary>Names refuse bidi controls and zero-width characters; Arabic letters, Arabic-Indic digits and spaces are fine.</summary>
public class NameTextTests
{
    public static TheoryData<char> RefusedCharacters() =>
        [.. "\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069\u200E\u200F\u061C\u200B\u200C\u200D\u2060\uFEFF"];

    [Theory]
    [MemberData(nameof(RefusedCharacters))]
    public void Every_name_refuses_a_bidi_control_or_zero_width_character(char c)
    {
        var name = $"Moh{c}amed";
        Assert.True(NameText.IsRefused(c));
        var refusal = NameText.Check("name", name);
        Assert.Equal(RefusalCode.InvalidField, refusal?.Code);
        Assert.Contains($"U+{(int)c:X4}", refusal!.Reason);
        Assert.Equal(RefusalCode.InvalidField, new PersonDetails(name, [], null, null, null, null, null, null, null).Invalid(2026)?.Code);
        Assert.Equal(RefusalCode.InvalidField, new PersonDetails("Mohamed", [name], null, null, null, null, null, null, null).Invalid(2026)?.Code);
        Assert.Equal(RefusalCode.InvalidField, new InquiryDetails(name, [], null, null, null, null, null, null).Invalid(2026)?.Code);
        Assert.Equal(RefusalCode.InvalidField, Refused(Facility.Empty("f").Decide(new RegisterFacility("f", name, [], null, Lead), Now)).Code);
        Assert.Equal(RefusalCode.InvalidField,
            Refused(Facility.Empty("f").Decide(new RegisterFacility("f", "Saydnaya", [name], null, Lead), Now)).Code);
        Assert.Equal(RefusalCode.InvalidField, Refused(Team.Empty("T").Decide(new RegisterTeam("T", name, 2, [Capability.Search], Lead), Now)).Code);
    }

    [Theory]
    [InlineData("محمد أحمد الحلبي")]
    [InlineData("زنزانة ١٢ - الطابق ٢")]
    [InlineData("Sierra One")]
    [InlineData("Müller")]
    public void Arabic_letters_Arabic_Indic_digits_spaces_and_accents_are_names(string name)
    {
        Assert.Null(NameText.Check("name", name));
        Assert.Null(new PersonDetails(name, [], null, null, null, null, null, null, null).Invalid(2026));
        Assert.NotEmpty(Events(Facility.Empty("f").Decide(new RegisterFacility("f", name, [], null, Lead), Now)));
        Assert.NotEmpty(Events(Team.Empty("T").Decide(new RegisterTeam("T", name, 2, [Capability.Search], Lead), Now)));
    }
}

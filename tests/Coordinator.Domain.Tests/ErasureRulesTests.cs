using Coordinator.Domain.Family;
using Coordinator.Domain.Sectors;
using static Coordinator.Domain.Tests.Scenario;

namespace Coordinator.Domain.Tests;

/// <summary>The rules of erasure: who is erased once, what the reason may say, and what the desk's view keeps.</summary>
public class ErasureRulesTests
{
    private static readonly PersonDetails Youssef = new("Youssef Khalil Haddad", ["Yusuf Haddad"], "Khalil", null, 1979, null, "Homs", null, null);
    private static readonly InquiryDetails Wanted = new("Youssef Khalil Haddad", [], "Khalil", null, 1979, "Homs", null, "+90 555 0100");

    private static (Sector Sector, PersonsFound Found) SectorWithYoussef()
    {
        var found = new PersonsFound(Cell, "SAR-1", 1, 0, false, null, new ReportRef("r-1", "f"), Now,
            Author.Team("SAR-1"))
        { Persons = [new FoundPerson("p-1", Youssef)] };
        return (DefinedCell().Evolve(found), found);
    }

    [Fact]
    public void A_person_is_erased_once_and_keeps_being_counted()
    {
        var (sector, _) = SectorWithYoussef();
        Assert.Equal(RefusalCode.PersonNotFound, Refused(sector.Decide(new ErasePerson(Cell, "p-2", "asked by the family", Lead), Now)).Code);
        Assert.Equal(RefusalCode.InvalidField, Refused(sector.Decide(new ErasePerson(Cell, "p-1", " ", Lead), Now)).Code);
        Assert.Equal(RefusalCode.InvalidField, Refused(sector.Decide(new ErasePerson(Cell, "p-1", "yusuf haddad's sister asked", Lead), Now)).Code);

        var erased = sector.Then(new ErasePerson(Cell, "p-1", "asked by the family", Lead));
        Assert.True(erased.Persons["p-1"].IsErased);
        Assert.Equal(1, erased.Alive);
        Assert.Equal(RefusalCode.PersonAlreadyErased, Refused(erased.Decide(new ErasePerson(Cell, "p-1", "again", Lead), Now)).Code);
        Assert.Equal(RefusalCode.PersonAlreadyErased, Refused(erased.Decide(new CorrectPerson(Cell, "p-1", Youssef, "restore", Lead), Now)).Code);
    }

    [Fact]
    public void An_inquiry_is_erased_once_keeps_its_status_and_counts_its_closing_time()
    {
        var inquiry = Inquiry.Empty("inq-1").Evolve(new InquiryRegistered("inq-1", Wanted, Now, Lead))
            .Evolve(new InquiryClosed("inq-1", "found", Now, Lead));
        Assert.Equal(Now, inquiry.ClosedAt);
        Assert.Equal(RefusalCode.InvalidField, Refused(inquiry.Decide(new EraseInquiry("inq-1", "call +90 555 0100 first", Lead), Now)).Code);
        var erased = Events(inquiry.Decide(new EraseInquiry("inq-1", "retention", Author.System), Now)).Aggregate(inquiry, (i, e) => i.Evolve(e));
        Assert.True(erased is { Erased: true, Closed: true, Registered: true });
        Assert.Null(erased.Details!.Contact);
        Assert.Equal(RefusalCode.InquiryAlreadyErased, Refused(erased.Decide(new EraseInquiry("inq-1", "retention", Author.System), Now)).Code);
        Assert.Equal(RefusalCode.InquiryNotFound, Refused(Inquiry.Empty("inq-2").Decide(new EraseInquiry("inq-2", "x", Lead), Now)).Code);
    }

    private static string? Refusing(string reason, string contact = "+963 944 123 456") =>
        Erasure.InvalidReason(reason, "محمد أحمد الحلبي", ["Mohamed Ahmad Al-Halabi"], "Ahmad", "فاطمة", contact)?.Reason;

    /// <summary>Whatever spacing, case, composition or digits a reason is typed in, it may not carry what it erases.</summary>
    [Theory]
    [InlineData("Mohamed  Ahmad\tal-HALABI asked", "a name it erases")] // doubled spaces, a tab, case
    [InlineData("mohamed ahmad al halabi", "a name it erases")] // a hyphen as a space
    [InlineData("طلب محمد احمد الحلبي", "a name it erases")] // alef without its hamza
    [InlineData("طلب محمد ا\u0654حمد الحلبي", "a name it erases")] // the hamza as a combining mark, composed
    [InlineData("Halabi's brother asked", "a part of a name it erases")]
    [InlineData("طلبت عائلة الحلبي", "a part of a name it erases")]
    [InlineData("طلبت عائلة حلبي", "a part of a name it erases")] // without the article
    [InlineData("وفاطمة طلبت ذلك", "a part of a name it erases")] // "and" joined to the mother's name
    [InlineData("call 0944-123-456 first", "6 or more digits of the contact")]
    [InlineData("رقم ٩٤٤١٢٣٤٥٦", "6 or more digits of the contact")] // Arabic-Indic digits
    [InlineData("رقم ۹۴۴۱۲۳", "6 or more digits of the contact")] // Eastern Arabic-Indic, six of them
    [InlineData("ref (944) 123", "6 or more digits of the contact")]
    [InlineData("+963 944 123 456", "the contact it erases")]
    public void A_reason_repeating_the_erased_details_is_refused_saying_which(string reason, string which)
    {
        Assert.Equal($"the reason must not repeat the details it erases ({which}): it stays in the history", Refusing(reason));
    }

    [Fact]
    public void An_e_mail_contact_is_refused_whole_and_by_its_local_part()
    {
        const string mail = "m.halabi87@example.org";
        Assert.Contains("the contact it erases", Refusing($"write to {mail.ToUpperInvariant()}", mail));
        Assert.Contains("e-mail address", Refusing("m halabi87 wrote to us", $"brother, {mail}"));
        Assert.Null(Refusing("wrote from example.org", mail));
    }

    [Theory]
    [InlineData("asked by the family, request 17")]
    [InlineData("requested on 2026-12-07 by the desk")] // a date is not six digits of the phone
    [InlineData("the quality of the record")] // a part is a word, not letters inside one
    [InlineData("ref 944 12")] // five digits of the phone
    [InlineData("Al bin Abu")] // connectors name nobody
    public void An_ordinary_reason_passes(string reason) => Assert.Null(Refusing(reason));

    [Fact]
    public void A_name_of_three_letters_is_refused_as_a_word()
    {
        Assert.NotNull(Erasure.InvalidReason("Ali's mother asked", "Ali Omar", [], null, null));
        Assert.NotNull(Erasure.InvalidReason("طلب والد علي", "علي عمر", [], null, null));
        Assert.Null(Erasure.InvalidReason("asked on the form", "Ali Omar", [], null, null));
        Assert.Null(Erasure.InvalidReason("بناءً على طلب العائلة", "علي عمر", [], null, null)); // "on", spelled as علي once folded
    }

    [Fact]
    public void The_desk_keeps_erased_records_by_id_but_matches_and_finds_them_by_name_no_more()
    {
        var (_, found) = SectorWithYoussef();
        var desk = new object[] { found, new InquiryRegistered("inq-1", Wanted, Now, Lead) }.Aggregate(FamilyDesk.Empty, (d, e) => d.Apply(e).Desk);
        Assert.NotEmpty(desk.CandidatesForInquiry("inq-1"));

        desk = desk.Apply(new PersonDetailsErased(Cell, "p-1", "asked by the family", Now, Lead)).Desk;
        Assert.True(desk.Persons["p-1"].Details.IsErased);
        Assert.Empty(desk.CandidatesForInquiry("inq-1"));
        Assert.Empty(desk.SearchPersons("Youssef Haddad", 10));

        desk = desk.Apply(new InquiryDetailsErased("inq-1", "asked by the family", Now, Lead)).Desk;
        Assert.True(desk.Inquiries["inq-1"].Erased);
        Assert.False(desk.InquiryProfiles.ContainsKey("inq-1"));
        Assert.Empty(desk.InquiriesByKey);
        Assert.Empty(desk.PersonsByKey);
    }

    [Fact]
    public void Journal_readers_mask_details_written_in_plain_text_before_the_erasure()
    {
        var (_, found) = SectorWithYoussef();
        var events = new object[] { found, new InquiryRegistered("inq-1", Wanted, Now, Lead),
            new PersonDetailsErased(Cell, "p-1", "asked", Now, Lead) };
        var erased = ErasedRecords.In(events);
        Assert.True(((PersonsFound)erased.Mask(events[0])).Persons[0].Details.IsErased);
        Assert.Same(events[1], erased.Mask(events[1])); // the inquiry was not erased
    }
}

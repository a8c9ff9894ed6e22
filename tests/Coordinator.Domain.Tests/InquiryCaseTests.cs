using System.Collections.Immutable;
using Coordinator.Domain;
using Coordinator.Domain.Family;
using static Coordinator.Domain.Tests.Scenario;

namespace Coordinator.Domain.Tests;

/// <summary>The case from inquiry to reunion: each step's order, who may take it while another officer holds the case, and old journals.</summary>
public class InquiryCaseTests
{
    private static readonly Author Rana = new("familydesk:rana@10.0.0.5");
    private static readonly Author RanaAtHome = new("familydesk:rana@10.0.0.9");
    private static readonly Author Sami = new("familydesk:sami@10.0.0.6");
    private const string Person = "p-0123456789abcdef";

    private static readonly InquiryDetails Wanted = new("Mohamed Ahmad Al-Halabi", [], "Ahmad", null, 1987, "Homs", null, "+90 555 0100");

    private static Inquiry Then(Inquiry i, IInquiryCommand c, DateTimeOffset? at = null) =>
        i.Apply(x => x.Decide(c, at ?? Now), (x, e) => x.Evolve(e));

    private static Inquiry Registered() => Then(Inquiry.Empty("inq-1"), new RegisterInquiry("inq-1", Wanted, Rana));
    private static Inquiry Confirmed() => Then(Registered(), new DecideMatch("inq-1", Person, MatchDecision.Confirmed, null, Rana));
    private static Inquiry Informed() => Then(Confirmed(), new InformFamily("inq-1", Person, InformedHow.Phone, "brother", Rana));

    public static TheoryData<string, RefusalCode?> Steps => new()
    {
        // stage reached before the step | the step's refusal, or null when accepted
        { "registered:inform", RefusalCode.MatchNotConfirmed },
        { "registered:reunited", RefusalCode.FamilyNotInformed },
        { "registered:deceased", RefusalCode.MatchNotConfirmed },
        { "registered:notfound", null },
        { "registered:withdrawn", null },
        { "confirmed:inform", null },
        { "confirmed:reunited", RefusalCode.FamilyNotInformed },
        { "confirmed:deceased", null },
        { "informed:inform", null },
        { "informed:reunited", null },
        { "informed:withdrawn", null },
        { "closed:inform", RefusalCode.InquiryClosed },
        { "closed:claim", RefusalCode.InquiryClosed },
        { "closed:match", RefusalCode.InquiryClosed },
    };

    [Theory]
    [MemberData(nameof(Steps))]
    public void Each_step_is_taken_only_in_its_order(string step, RefusalCode? refused)
    {
        var (stage, command) = (step.Split(':')[0], step.Split(':')[1]);
        var inquiry = stage switch
        {
            "registered" => Registered(),
            "confirmed" => Confirmed(),
            "informed" => Informed(),
            _ => Then(Informed(), new CloseInquiry("inq-1", CaseOutcome.Reunited, null, Rana)),
        };
        IInquiryCommand c = command switch
        {
            "inform" => new InformFamily("inq-1", Person, InformedHow.InPerson, "came to the desk", Sami),
            "reunited" => new CloseInquiry("inq-1", CaseOutcome.Reunited, null, Sami),
            "deceased" => new CloseInquiry("inq-1", CaseOutcome.DeceasedConfirmed, "identified by his brother", Sami),
            "notfound" => new CloseInquiry("inq-1", CaseOutcome.NotFound, null, Sami),
            "withdrawn" => new CloseInquiry("inq-1", CaseOutcome.Withdrawn, null, Sami),
            "claim" => new ClaimCase("inq-1", Sami),
            _ => new DecideMatch("inq-1", Person, MatchDecision.Rejected, null, Sami),
        };
        var decision = inquiry.Decide(c, Now);
        if (refused is { } code) Assert.Equal(code, Refused(decision).Code);
        else Assert.NotEmpty(Events(decision));
    }

    [Fact]
    public void The_stage_follows_the_events_and_each_names_its_author()
    {
        Assert.Equal(CaseStage.Registered, Registered().Stage);
        Assert.Equal(CaseStage.CandidateConfirmed, Confirmed().Stage);
        var informed = Informed();
        Assert.Equal(CaseStage.FamilyInformed, informed.Stage);
        Assert.Equal(new Informed(Person, InformedHow.Phone, "brother", Now, Rana), informed.Case!.Informed);
        var ended = Events(informed.Decide(new CloseInquiry("inq-1", CaseOutcome.Reunited, "met at the hospital", Sami), Now));
        Assert.Equal([new InquiryConcluded("inq-1", CaseOutcome.Reunited, "met at the hospital", Now, Sami)], ended);
        var closed = informed.Evolve(ended[0]);
        Assert.Equal((CaseStage.Closed, CaseOutcome.Reunited, "Reunited: met at the hospital"),
            (closed.Stage, closed.Case!.Outcome, closed.ClosedReason));
    }

    [Fact]
    public void Informing_a_person_who_is_not_the_confirmed_match_is_refused_and_bad_fields_are_invalid()
    {
        var i = Confirmed();
        Assert.Equal(RefusalCode.MatchNotConfirmed, Refused(i.Decide(new InformFamily("inq-1", "p-other", InformedHow.Phone, null, Rana), Now)).Code);
        Assert.Equal(RefusalCode.InvalidField, Refused(i.Decide(new InformFamily("inq-1", Person, (InformedHow)42, null, Rana), Now)).Code);
        Assert.Equal(RefusalCode.InvalidField,
            Refused(i.Decide(new InformFamily("inq-1", Person, InformedHow.Phone, new string('x', 2001), Rana), Now)).Code);
        Assert.Equal(RefusalCode.InvalidField, Refused(i.Decide(new CloseInquiry("inq-1", (CaseOutcome)9, null, Rana), Now)).Code);
        Assert.Equal(RefusalCode.InvalidField, Refused(i.Decide(new CloseInquiry("inq-1", null, " ", Rana), Now)).Code);
        Assert.Empty(Events(Informed().Decide(new InformFamily("inq-1", Person, InformedHow.Phone, "brother", Rana), Now)));
    }

    [Fact]
    public void A_claimed_case_is_refused_to_another_officer_until_released_or_lapsed()
    {
        var claimed = Then(Confirmed(), new ClaimCase("inq-1", Rana));
        Assert.Equal(new Claim(Rana, Now + Inquiry.ClaimFor), claimed.ClaimAt(Now));
        var refusal = Refused(claimed.Decide(new ClaimCase("inq-1", Sami), Now));
        Assert.Equal(RefusalCode.CaseClaimedByOther, refusal.Code);
        Assert.Contains("familydesk:rana", refusal.Reason);
        Assert.Equal(RefusalCode.CaseClaimedByOther,
            Refused(claimed.Decide(new InformFamily("inq-1", Person, InformedHow.Phone, null, Sami), Now)).Code);
        Assert.Equal(RefusalCode.CaseClaimedByOther, Refused(claimed.Decide(new ReleaseCase("inq-1", Sami), Now)).Code);
        Assert.Equal(RefusalCode.CaseClaimedByOther, Refused(claimed.Decide(new CloseInquiry("inq-1", CaseOutcome.Withdrawn, null, Sami), Now)).Code);
        // The same officer from another computer still holds it.
        Assert.NotEmpty(Events(claimed.Decide(new InformFamily("inq-1", Person, InformedHow.Phone, null, RanaAtHome), Now)));
        var lapsed = Now + Inquiry.ClaimFor + TimeSpan.FromMinutes(1);
        Assert.Null(claimed.ClaimAt(lapsed));
        Assert.Equal(new Claim(Sami, lapsed + Inquiry.ClaimFor), Then(claimed, new ClaimCase("inq-1", Sami), lapsed).ClaimAt(lapsed));
        var released = Then(claimed, new ReleaseCase("inq-1", Rana));
        Assert.Null(released.ClaimAt(Now));
        Assert.Empty(Events(released.Decide(new ReleaseCase("inq-1", Sami), Now)));
        Assert.NotEmpty(Events(released.Decide(new ClaimCase("inq-1", Sami), Now)));
    }

    [Fact]
    public void Claims_and_steps_touch_the_case_and_an_ending_drops_the_claim()
    {
        var later = Now.AddDays(3);
        var claimed = Then(Confirmed(), new ClaimCase("inq-1", Rana), later);
        Assert.Equal(later, claimed.LastTouched);
        Assert.Equal(Now, Confirmed().LastTouched);
        var ended = Then(claimed, new CloseInquiry("inq-1", CaseOutcome.NotFound, null, Rana), later);
        Assert.Null(ended.ClaimAt(later));
    }

    [Fact]
    public void An_old_close_with_a_free_reason_still_replays_and_is_still_accepted()
    {
        var old = Registered().Evolve(new InquiryClosed("inq-1", "found alive, family informed", Now, Rana));
        Assert.Equal((CaseStage.Closed, "found alive, family informed", (CaseFile?)null), (old.Stage, old.ClosedReason, old.Case));
        Assert.Equal([new InquiryClosed("inq-1", "the family moved abroad", Now, Rana)],
            Events(Registered().Decide(new CloseInquiry("inq-1", null, " the family moved abroad ", Rana), Now)));
        Assert.Empty(Events(old.Decide(new CloseInquiry("inq-1", CaseOutcome.Withdrawn, null, Rana), Now)));
    }
}

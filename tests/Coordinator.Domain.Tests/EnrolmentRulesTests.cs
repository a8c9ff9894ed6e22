using Coordinator.Domain;
using Coordinator.Domain.Access;
using static Coordinator.Domain.Tests.Scenario;

namespace Coordinator.Domain.Tests;

public class EnrolmentRulesTests
{
    private static readonly Author Phone = new("anonymous@10.0.0.7");

    private static TokenRegistry Then(TokenRegistry r, ITokenCommand c, DateTimeOffset? at = null) =>
        r.Apply(x => x.Decide(c, at ?? Now), (x, e) => x.Evolve(e));

    private static TokenRegistry Opened(string hash = "h-1") =>
        Then(TokenRegistry.Empty, new OpenEnrolment(hash, "K9-1", Now.AddMinutes(15), TimeSpan.FromHours(12), Lead));

    [Fact]
    public void A_code_gives_its_team_a_field_token_for_the_lifetime_the_lead_chose()
    {
        var events = Events(Opened().Decide(new RedeemEnrolment("h-1", "tk-phone", "phone-1", Phone), Now.AddMinutes(5)));
        Assert.Collection(events,
            e => Assert.Equal(new EnrolmentRedeemed("h-1", "tk-phone", "phone-1", Now.AddMinutes(5), Phone), e),
            e =>
            {
                var issued = Assert.IsType<TokenIssued>(e);
                Assert.Equal((Role.Field, "K9-1", Now.AddMinutes(5).AddHours(12)), (issued.Role, issued.Team, issued.ExpiresAt));
                Assert.Equal("enrolment:lead:amal", issued.By.Subject);
            });
        var redeemed = Then(Opened(), new RedeemEnrolment("h-1", "tk-phone", "phone-1", Phone), Now.AddMinutes(5));
        Assert.False(redeemed.Tokens.IsRevoked("tk-phone"));
        Assert.Equal("tk-phone", redeemed.Enrolments["h-1"].RedeemedFor);
    }

    [Fact]
    public void A_code_is_used_once_and_not_after_it_expires()
    {
        var used = Then(Opened(), new RedeemEnrolment("h-1", "tk-phone", "phone-1", Phone));
        Assert.Equal(RefusalCode.EnrolmentUsed, Refused(used.Decide(new RedeemEnrolment("h-1", "tk-other", "phone-2", Phone), Now)).Code);
        // The phone that used it asks again (its answer was lost): nothing new, and the node answers with the token it got.
        Assert.Empty(Events(used.Decide(new RedeemEnrolment("h-1", "tk-again", "phone-1", Phone), Now)));
        Assert.Equal("tk-phone", used.Enrolments["h-1"].RedeemedFor);
        Assert.Equal(RefusalCode.EnrolmentExpired,
            Refused(Opened().Decide(new RedeemEnrolment("h-1", "tk-late", "phone-1", Phone), Now.AddMinutes(15))).Code);
        Assert.Equal(RefusalCode.EnrolmentNotFound, Refused(Opened().Decide(new RedeemEnrolment("h-2", "tk-x", "phone-1", Phone), Now)).Code);
    }

    [Fact]
    public void Opening_a_code_checks_the_team_and_both_lifetimes()
    {
        Assert.Equal(RefusalCode.InvalidId,
            Refused(TokenRegistry.Empty.Decide(new OpenEnrolment("h", "bad team", Now.AddMinutes(5), TimeSpan.FromHours(1), Lead), Now)).Code);
        Assert.Equal(RefusalCode.InvalidField,
            Refused(TokenRegistry.Empty.Decide(new OpenEnrolment("h", "K9-1", Now, TimeSpan.FromHours(1), Lead), Now)).Code);
        Assert.Equal(RefusalCode.InvalidField,
            Refused(TokenRegistry.Empty.Decide(new OpenEnrolment("h", "K9-1", Now.AddDays(2), TimeSpan.FromHours(1), Lead), Now)).Code);
        Assert.Equal(RefusalCode.InvalidField,
            Refused(TokenRegistry.Empty.Decide(new OpenEnrolment("h", "K9-1", Now.AddMinutes(5), TimeSpan.FromDays(31), Lead), Now)).Code);
        Assert.Equal(RefusalCode.InvalidId,
            Refused(Opened().Decide(new OpenEnrolment("h-1", "K9-1", Now.AddMinutes(5), TimeSpan.FromHours(1), Lead), Now)).Code);
    }

    [Fact]
    public void Token_commands_go_on_as_before_and_a_registry_from_an_old_snapshot_keeps_its_tokens()
    {
        var tokens = Tokens.Empty.Evolve(new TokenIssued("tk-1", Role.Monitor, null, Now.AddHours(1), Now, Lead));
        var registry = TokenRegistry.Of(tokens);
        Assert.Equal(tokens.Version, registry.Version);
        var revoked = Then(registry, new RevokeToken("tk-1", Lead));
        Assert.True(revoked.Tokens.IsRevoked("tk-1"));
        Assert.Empty(revoked.Enrolments);
    }

    [Fact]
    public void Revoking_with_what_it_issued_reaches_every_token_issued_through_it_and_no_other()
    {
        var lead = new Author("lead:tk-lead@10.0.0.5");
        var registry = new[]
        {
            new TokenIssued("tk-lead", Role.Lead, null, Now.AddHours(9), Now, new Author("bootstrap@10.0.0.1")),
            new TokenIssued("tk-mon", Role.Monitor, null, Now.AddHours(9), Now.AddMinutes(1), lead),
            new TokenIssued("tk-phone", Role.Field, "K9-1", Now.AddHours(9), Now.AddMinutes(2), new Author("enrolment:lead:tk-lead@10.0.0.5")),
            new TokenIssued("tk-grand", Role.Monitor, null, Now.AddHours(9), Now.AddMinutes(3), new Author("field:K9-1:tk-phone@10.0.0.9")),
            new TokenIssued("tk-other", Role.Monitor, null, Now.AddHours(9), Now.AddMinutes(4), new Author("lead:tk-someone@10.0.0.6")),
        }.Aggregate(TokenRegistry.Empty, (r, e) => r.Evolve(e));
        registry = Then(registry, new RevokeToken("tk-mon", Lead));

        var revoked = Events(registry.Decide(new RevokeToken("tk-lead", Lead, WithIssued: true), Now)).Cast<TokenRevoked>().Select(r => r.Id);
        Assert.Equal(["tk-lead", "tk-phone", "tk-grand"], revoked); // tk-mon was revoked already; tk-other came from another lead
        Assert.Equal(["tk-lead"], Events(registry.Decide(new RevokeToken("tk-lead", Lead), Now)).Cast<TokenRevoked>().Select(r => r.Id));
        Assert.Null(Tokens.IssuerOf(new Author("bootstrap@10.0.0.1")));
    }
}

using Coordinator.Domain;
using Coordinator.Domain.Access;
using static Coordinator.Domain.Tests.Scenario;

namespace Coordinator.Domain.Tests;

/// <summary>
/// The bootstrap secret hands over to the first admin token: the registry, the one writer of tokens, refuses what the
/// secret would mint from the moment an admin token is recorded, whatever a node's lagging view still says.
/// </summary>
public class BootstrapRulesTests
{
    private static readonly Author Bootstrap = new($"{Tokens.BootstrapSubject}@10.0.0.1");
    private static readonly Author Admin = new("admin:tk-admin@10.0.0.1");

    private static TokenRegistry Then(TokenRegistry r, ITokenCommand c, DateTimeOffset? at = null) =>
        r.Apply(x => x.Decide(c, at ?? Now), (x, e) => x.Evolve(e));

    private static IssueToken Issue(string id, Role role, Author by, string? team = null) => new(id, role, team, Now.AddDays(30), by);

    private static readonly TokenRegistry WithAdmin = Then(TokenRegistry.Empty, Issue("tk-admin", Role.Admin, Bootstrap));

    [Fact]
    public void The_bootstrap_secret_mints_the_first_admin_and_nothing_after_it()
    {
        Assert.True(WithAdmin.Tokens.HasAdmin(Now));
        foreach (var command in new ITokenCommand[]
        {
            Issue("tk-second", Role.Admin, Bootstrap),
            Issue("tk-lead", Role.Lead, Bootstrap),
            Issue("tk-field", Role.Field, Bootstrap, "K9-1"),
            new OpenEnrolment("h-1", "K9-1", Now.AddMinutes(15), TimeSpan.FromHours(12), Bootstrap),
        })
        {
            var refusal = Refused(WithAdmin.Decide(command, Now));
            Assert.Equal(RefusalCode.BootstrapRetired, refusal.Code);
            Assert.Contains("admin token is in force", refusal.Reason);
        }
    }

    [Fact]
    public void Before_any_admin_and_after_the_last_one_ends_the_bootstrap_secret_mints()
    {
        var lead = Then(TokenRegistry.Empty, Issue("tk-lead", Role.Lead, Bootstrap)); // a lead is no hand-over
        Assert.NotEmpty(Events(lead.Decide(Issue("tk-2", Role.Monitor, Bootstrap), Now)));

        var revoked = Then(WithAdmin, new RevokeToken("tk-admin", Admin));
        Assert.NotEmpty(Events(revoked.Decide(Issue("tk-3", Role.Admin, Bootstrap), Now)));
        var later = Now.AddDays(31); // the admin token has expired
        Assert.NotEmpty(Events(WithAdmin.Decide(Issue("tk-4", Role.Admin, Bootstrap) with { ExpiresAt = later.AddHours(1) }, later)));
    }

    [Fact]
    public void Admins_and_phones_enrolled_before_the_hand_over_go_on_minting()
    {
        Assert.NotEmpty(Events(WithAdmin.Decide(Issue("tk-lead", Role.Lead, Admin), Now)));
        var opened = Then(TokenRegistry.Empty, new OpenEnrolment("h-1", "K9-1", Now.AddMinutes(15), TimeSpan.FromHours(12), Bootstrap));
        var handedOver = Then(opened, Issue("tk-admin", Role.Admin, Bootstrap));
        Assert.NotEmpty(Events(handedOver.Decide(new RedeemEnrolment("h-1", "tk-phone", "phone-1", new Author("anonymous@10.0.0.7")), Now)));
    }

    [Fact]
    public void Only_the_bootstrap_subject_itself_is_the_bootstrap()
    {
        foreach (var subject in new[] { "bootstrapper@10.0.0.1", "lead:bootstrap@10.0.0.1", "enrolment:bootstrap@10.0.0.1" })
            Assert.False(WithAdmin.Tokens.RefusesBootstrap(new Author(subject), Now), subject);
        Assert.True(WithAdmin.Tokens.RefusesBootstrap(Bootstrap, Now));
    }
}

using Coordinator.Node.Access;
using Coordinator.Node.Tests.Support;

namespace Coordinator.Node.Tests;

/// <summary>The printable report opens in a new tab through a single-use, short-lived link: once, for its own page only.</summary>
public class ReportLinkTests
{
    private sealed class Clock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;
        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static readonly Secrets Keys = new("test-signing-key-0123456789-abcdefghijklmnop"u8.ToArray(),
        "unused-bootstrap-0123456789-abcdefghijklmnop", null);
    private const string Report = "/facilities/saydnaya/report";

    [Fact]
    public void A_ticket_opens_its_own_page_once_until_it_expires()
    {
        var clock = new Clock(new DateTimeOffset(2024, 12, 9, 8, 0, 0, TimeSpan.Zero));
        var tickets = new LinkTickets(Keys, clock);
        var (ticket, expiresAt) = tickets.Issue(Report, "lead:amal");
        Assert.Equal(clock.Now + LinkTickets.Lifetime, expiresAt);

        Assert.Equal("TicketInvalid", tickets.Redeem(ticket, "/facilities/adra/report").Refusal?.Code.ToString()); // bound to its page
        Assert.Equal("TicketInvalid", tickets.Redeem(ticket[..^2] + "xx", Report).Refusal?.Code.ToString()); // tampered
        Assert.Equal("TicketInvalid", tickets.Redeem("nonsense", Report).Refusal?.Code.ToString());
        Assert.Equal(("lead:amal", (TicketRefusal?)null), tickets.Redeem(ticket, Report));
        Assert.Equal("TicketUsed", tickets.Redeem(ticket, Report).Refusal?.Code.ToString());

        var late = tickets.Issue(Report, "lead:amal").Ticket;
        clock.Now += LinkTickets.Lifetime;
        Assert.Equal("TicketExpired", tickets.Redeem(late, Report).Refusal?.Code.ToString());
        // Another node (same signing key) checks the signature too: a ticket issued here opens there.
        var fresh = tickets.Issue(Report, "lead:amal").Ticket;
        Assert.Null(new LinkTickets(Keys, clock).Redeem(fresh, Report).Refusal);
    }

    [Fact]
    public async Task The_report_link_opens_the_report_without_a_token_once_and_in_the_language_asked()
    {
        await using var node = await NodeUnderTest.StartAsync();
        Assert.Equal(201, (await node.Post("/api/facilities", new { id = "saydnaya", name = "Saydnaya" })).Status);
        using var anonymous = node.Client(null);
        Assert.Equal(401, (int)(await anonymous.GetAsync(Report, TestContext.Current.CancellationToken)).StatusCode);

        // The live view trails the registration by a moment.
        var (status, link) = await node.Post("/api/facilities/saydnaya/report-link?lang=ar");
        for (var deadline = DateTime.UtcNow.AddSeconds(20); status == 404
            && DateTime.UtcNow < deadline; (status, link) = await node.Post("/api/facilities/saydnaya/report-link?lang=ar"))
            await Task.Delay(50, TestContext.Current.CancellationToken);
        Assert.Equal(200, status);
        var url = (string)link!["url"]!;
        Assert.StartsWith($"{Report}?lang=ar&ticket=", url);
        Assert.True(DateTimeOffset.Parse((string)link["expiresAt"]!) <= DateTimeOffset.UtcNow.AddSeconds(61));

        var first = await anonymous.GetAsync(url, TestContext.Current.CancellationToken);
        Assert.Equal(200, (int)first.StatusCode);
        Assert.Contains("lang=\"ar\"", await first.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var again = await anonymous.GetAsync(url, TestContext.Current.CancellationToken);
        Assert.Equal(401, (int)again.StatusCode);
        Assert.Contains("\"code\":\"TicketUsed\"", await again.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        Assert.Equal(404, (await node.Post("/api/facilities/nowhere/report-link")).Status);
        Assert.Equal(401, (int)(await anonymous.PostAsync("/api/facilities/saydnaya/report-link", null,
            TestContext.Current.CancellationToken)).StatusCode);
    }
}

using Akka.Actor;
using Coordinator.Cluster.Views;
using Coordinator.Domain;
using Coordinator.Domain.Family;
using Coordinator.Node.Http;

namespace Coordinator.Node.Family;

/// <summary>
/// Erases the details of inquiries closed for longer than the retention. It runs as a cluster singleton (on the
/// oldest node, handed over when that node leaves), so one node checks, not each. A check that overlaps an erasure
/// still on its way is refused as already erased, which is the outcome wanted.
/// </summary>
public sealed class InquiryRetention : ReceiveActor, IWithTimers
{
    public const string Reason = "retention";
    public const string SingletonName = "inquiry-retention";

    private sealed record Check;

    private readonly FamilySettings _settings;

    public ITimerScheduler Timers { get; set; } = null!;

    public InquiryRetention(FamilySettings settings, Published<FamilyDesk> family, Gateway gateway, ILogger<InquiryRetention> log)
    {
        _settings = settings;
        // One check at a time: the mailbox waits while the erasures are sent, and ticks meanwhile are answered by the next round.
        ReceiveAsync<Check>(async _ =>
        {
            if (!family.IsCurrent) return; // an old view would not know which are already erased
            var due = DateTimeOffset.UtcNow - settings.RetainClosedInquiries;
            foreach (var inquiry in family.Current.Inquiries.Values.Where(i => i.ClosedAt < due && !i.Erased).ToList())
            {
                var reply = await gateway.Inquiries.Send(new EraseInquiry(inquiry.Id, Reason, Author.System), CancellationToken.None);
                if (reply.Refusal is { Code: not RefusalCode.InquiryAlreadyErased } refused)
                    log.LogWarning("retention: inquiry {Inquiry} not erased ({Code}); tried again at the next check", inquiry.Id, refused.Code);
            }
        });
    }

    protected override void PreStart() =>
        Timers.StartPeriodicTimer(nameof(Check), new Check(), _settings.RetentionCheckEvery, _settings.RetentionCheckEvery);
}

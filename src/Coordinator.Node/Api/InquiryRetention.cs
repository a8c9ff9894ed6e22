using Coordinator.Cluster;
using Coordinator.Cluster.Views;
using Coordinator.Domain;
using Coordinator.Domain.Family;

namespace Coordinator.Node.Api;

/// <summary>
/// Erases the details of inquiries closed for longer than the retention. Every node runs it: an inquiry erased
/// by another node meanwhile is refused as already erased, which is the outcome wanted, so nothing is done twice.
/// </summary>
public sealed class InquiryRetention(FamilySettings settings, PublishedBoard board, Gateway gateway, ILogger<InquiryRetention> log)
    : BackgroundService
{
    public const string Reason = "retention";

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(settings.RetentionCheckEvery);
        while (await timer.WaitForNextTickAsync(ct))
        {
            if (!board.IsCurrent) continue; // an old view would not know which are already erased
            var due = DateTimeOffset.UtcNow - settings.RetainClosedInquiries;
            foreach (var inquiry in board.Current.Family.Inquiries.Values.Where(i => i.ClosedAt < due && !i.Erased))
            {
                var reply = await gateway.Inquiries.Send(new EraseInquiry(inquiry.Id, Reason, Author.System), ct);
                if (reply.Refusal is { Code: not RefusalCode.InquiryAlreadyErased } refused)
                    log.LogWarning("retention: inquiry {Inquiry} not erased ({Code}); tried again at the next check", inquiry.Id, refused.Code);
            }
        }
    }
}

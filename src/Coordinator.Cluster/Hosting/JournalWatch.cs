using Microsoft.Extensions.Hosting;

namespace Coordinator.Cluster.Hosting;

/// <summary>
/// Keeps asking whether the journal's database answers (every second), so a write can be refused at once
/// with 503 while it does not, instead of waiting for the cluster to time out. Recovery needs no action:
/// the next probe that succeeds lets writes through again.
/// </summary>
public sealed class JournalWatch(JournalProbe probe) : BackgroundService
{
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(1);

    public bool Reachable { get; private set; } = true;

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(Every);
        do Reachable = await probe.ReachableAsync(ct);
        while (await timer.WaitForNextTickAsync(ct));
    }
}

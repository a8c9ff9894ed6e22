namespace Coordinator.Cluster.Tests.Support;

/// <summary>Polls a condition with a deadline: how tests wait for actors without sleeping a fixed time.</summary>
public static class Eventually
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    public static async Task Until(Func<bool> condition, string what) => await Until(() => Task.FromResult(condition()), what);

    public static async Task Until(Func<Task<bool>> condition, string what)
    {
        var until = DateTime.UtcNow + Deadline;
        while (!await condition())
        {
            if (DateTime.UtcNow > until) throw new TimeoutException($"waited {Deadline.TotalSeconds}s for {what}");
            await Task.Delay(25);
        }
    }
}

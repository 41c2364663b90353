using System.Collections.Concurrent;

namespace Determinant.Master.Controller;

/// <summary>
/// The scheduler until agents exist: it only remembers what was asked of it, for whoever starts allocations by hand
/// (tests, or a later scheduler that drains it).
/// </summary>
internal sealed class PendingTrialScheduler : ITrialScheduler
{
    private readonly ConcurrentDictionary<int, bool> _waiting = new();

    public ConcurrentQueue<string> Stops { get; } = new();

    public ConcurrentQueue<string> Kills { get; } = new();

    /// <summary>Trials waiting for an allocation, in id order.</summary>
    public IReadOnlyList<int> WaitingTrials => [.. _waiting.Keys.Order()];

    public Task TrialNeedsAllocationAsync(int trialId, CancellationToken cancellationToken)
    {
        _waiting.TryAdd(trialId, true);
        return Task.CompletedTask;
    }

    public Task StopAllocationGracefullyAsync(string allocationId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Stops.Enqueue(allocationId);
        return Task.CompletedTask;
    }

    public Task KillAllocationAsync(string allocationId, CancellationToken cancellationToken)
    {
        Kills.Enqueue(allocationId);
        return Task.CompletedTask;
    }

    /// <summary>Called once an allocation was started for the trial.</summary>
    public void Started(int trialId) => _waiting.TryRemove(trialId, out _);
}

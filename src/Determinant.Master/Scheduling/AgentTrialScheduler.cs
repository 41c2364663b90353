using System.Collections.Concurrent;
using System.Threading.Channels;
using Determinant.Master.Agents;
using Determinant.Master.Controller;
using Determinant.Protocol.Agent;

namespace Determinant.Master.Scheduling;

/// <summary>
/// The scheduler of trials on agents' slots: it keeps the trials waiting for slots and wakes the
/// <see cref="SchedulingLoop"/>; it turns stop and kill requests into agent kill commands.
/// </summary>
internal sealed partial class AgentTrialScheduler(AgentRegistry registry, TimeProvider time, ILogger<AgentTrialScheduler> logger)
    : ITrialScheduler, IDisposable
{
    private readonly ConcurrentDictionary<int, SchedulingRequest?> _waiting = new();
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _stopTimers = new(StringComparer.Ordinal);
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Trials waiting for an allocation, in id order.</summary>
    public IReadOnlyList<int> WaitingTrials => [.. _waiting.Keys.Order()];

    /// <summary>Completes when a pass is wanted (coalesced: many wakes before a pass make one).</summary>
    public ChannelReader<bool> WakeSignal => _wake.Reader;

    public Task TrialNeedsAllocationAsync(int trialId, CancellationToken cancellationToken)
    {
        _waiting.TryAdd(trialId, null);
        Wake();
        return Task.CompletedTask;
    }

    public Task StopAllocationGracefullyAsync(string allocationId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var timer = new CancellationTokenSource();
        if (!_stopTimers.TryAdd(allocationId, timer))
        {
            timer.Dispose();
            return Task.CompletedTask;
        }
        _ = KillAfterAsync(allocationId, timeout, timer.Token);
        return Task.CompletedTask;
    }

    public Task KillAllocationAsync(string allocationId, CancellationToken cancellationToken)
    {
        SendKill(allocationId);
        return Task.CompletedTask;
    }

    public void Wake() => _wake.Writer.TryWrite(true);

    public void TrialStarted(int trialId) => Remove(trialId);

    /// <summary>The trial got its allocation, or can no longer get one.</summary>
    public void Remove(int trialId) => _waiting.TryRemove(trialId, out _);

    /// <summary>The allocation ended: its stop timer is moot.</summary>
    public void Forget(string allocationId)
    {
        if (_stopTimers.TryRemove(allocationId, out var timer))
        {
            timer.Cancel();
            timer.Dispose();
        }
    }

    /// <summary>The waiting trials, with the requests known so far (null: not loaded yet).</summary>
    public IReadOnlyList<KeyValuePair<int, SchedulingRequest?>> Waiting => [.. _waiting];

    public void Loaded(SchedulingRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        _waiting.TryUpdate(request.TrialId, request, null);
    }

    private async Task KillAfterAsync(string allocationId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(timeout, time, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        LogPreemptionTimeout(logger, allocationId, timeout.TotalSeconds);
        SendKill(allocationId);
    }

    private void SendKill(string allocationId)
    {
        if (registry.PlacementOf(allocationId) is { } placement && registry.Find(placement.AgentId) is { } agent)
            agent.Commands.Enqueue(kill: new KillCommand(allocationId));
    }

    public void Dispose()
    {
        foreach (var timer in _stopTimers.Values)
            timer.Dispose();
        _stopTimers.Clear();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Allocation {AllocationId} did not stop within its preemption_timeout of {Seconds} s; killing it")]
    private static partial void LogPreemptionTimeout(ILogger logger, string allocationId, double seconds);
}

using System.Collections.Concurrent;
using System.Threading.Channels;
using Determinant.Master.Agents;
using Determinant.Master.Controller;
using Determinant.Protocol.Agent;

namespace Determinant.Master.Scheduling;

/// <summary>
/// The scheduler of trials on agents' slots: it keeps the trials waiting for slots and wakes the
/// <see cref="SchedulingLoop"/>; it turns kill requests into agent kill commands (tasks on agents poll the stop flag
/// themselves, so a graceful stop needs nothing more here).
/// </summary>
internal sealed class AgentTrialScheduler(AgentRegistry registry) : ITrialScheduler
{
    private readonly ConcurrentDictionary<int, SchedulingRequest?> _waiting = new();
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

    public Task StopAllocationGracefullyAsync(string allocationId, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task KillAllocationAsync(string allocationId, CancellationToken cancellationToken)
    {
        SendKill(allocationId);
        return Task.CompletedTask;
    }

    public void Wake() => _wake.Writer.TryWrite(true);

    public void TrialStarted(int trialId) => Remove(trialId);

    /// <summary>The trial got its allocation, or can no longer get one.</summary>
    public void Remove(int trialId) => _waiting.TryRemove(trialId, out _);

    /// <summary>The waiting trials, with the requests known so far (null: not loaded yet).</summary>
    // ToArray takes a consistent snapshot; a collection expression sizes its array first and can overrun while others add.
    public IReadOnlyList<KeyValuePair<int, SchedulingRequest?>> Waiting => _waiting.ToArray();

    public void Loaded(SchedulingRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        _waiting.TryUpdate(request.TrialId, request, null);
    }

    private void SendKill(string allocationId)
    {
        if (registry.PlacementOf(allocationId) is not { } placement)
            return;
        // A gang across agents is killed on each of them.
        foreach (var share in placement.Shares.Where(s => !s.Exited))
            registry.Find(share.AgentId)?.Commands.Enqueue(kill: new KillCommand(allocationId));
    }
}

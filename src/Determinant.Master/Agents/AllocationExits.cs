using Determinant.Master.ResourceManagers;
using Determinant.Protocol.Agent;

namespace Determinant.Master.Agents;

/// <summary>The one path by which an allocation on an agent ends: the slots free, the task layer hears it (its owner decides the outcome), the scheduler wakes.</summary>
internal sealed partial class AllocationExits(
    IAllocationEvents events, AgentRegistry registry, AgentResourceManager scheduler, ILogger<AllocationExits> logger)
{
    /// <summary>
    /// The agent reported EXITED (again, perhaps); true when the master knew the allocation. For a gang across agents
    /// (<paramref name="agentId"/> names the reporting one) the allocation exits when its last share does; the first
    /// share to fail gets the others stopped, so the whole allocation ends and the trial restarts as a unit.
    /// </summary>
    public async Task<bool> ExitedAsync(string allocationId, int? exitCode, CancellationToken cancellationToken, string? agentId = null)
    {
        var share = registry.ShareExited(allocationId, agentId, exitCode);
        if (share.Kind == ShareExitKind.Waiting)
        {
            if (share.StopOn.Count > 0)
                LogStoppingGang(logger, allocationId, agentId ?? "?", exitCode, string.Join(", ", share.StopOn));
            Kill(allocationId, share.StopOn);
            scheduler.Wake();
            return true;
        }
        if (share.Kind == ShareExitKind.Complete)
            exitCode = share.ExitCode;
        var exit = new AllocationExit(exitCode == 0 ? AllocationExitKind.Clean : AllocationExitKind.Failed, exitCode);
        return await RecordAsync(allocationId, exit, lost: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>An agent was lost with a share of <paramref name="placement"/> (already removed): its shares on other agents are stopped.</summary>
    public Task LostAsync(Placement placement, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(placement);
        if (placement.Shares.Count > 1)
            Kill(placement.AllocationId, placement.Shares.Select(s => s.AgentId));
        return LostAsync(placement.AllocationId, cancellationToken);
    }

    /// <summary>The allocation's agent was lost (or forgot it): a transient loss, rescheduled without counting a restart.</summary>
    /// <param name="allocationId">The allocation.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <param name="lostOn">The agent that lost it; the allocation's shares on the other agents of a gang are stopped.</param>
    public Task LostAsync(string allocationId, CancellationToken cancellationToken, string? lostOn = null)
    {
        if (registry.PlacementOf(allocationId) is { Shares.Count: > 1 } placement)
            Kill(allocationId, placement.Shares.Select(s => s.AgentId).Where(a => a != lostOn));
        LogLost(logger, allocationId);
        return RecordAsync(allocationId, exit: null, lost: true, cancellationToken);
    }

    /// <param name="allocationId">The allocation.</param>
    /// <param name="exit">How its processes ended; null when it was lost.</param>
    /// <param name="lost">Its agent lost it.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    private async Task<bool> RecordAsync(string allocationId, AllocationExit? exit, bool lost, CancellationToken cancellationToken)
    {
        // Free the slots first: whatever the owner decides, the process is gone.
        registry.Release(allocationId, lost);
        scheduler.Wake();
        try
        {
            if (exit is null)
            {
                await events.LostAsync(allocationId, cancellationToken).ConfigureAwait(false);
                return true;
            }
            return await events.ExitedAsync(allocationId, exit, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            scheduler.Wake();
        }
    }

    /// <summary>Queues a kill of the allocation on each agent still registered (an agent that does not hold it ignores it).</summary>
    private void Kill(string allocationId, IEnumerable<string> agentIds)
    {
        foreach (var agentId in agentIds)
            registry.Find(agentId)?.Commands.Enqueue(kill: new KillCommand(allocationId));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Allocation {AllocationId}: the workers on agent {AgentId} exited with code {ExitCode}; stopping its workers on {Agents}")]
    private static partial void LogStoppingGang(ILogger logger, string allocationId, string agentId, int? exitCode, string agents);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Allocation {AllocationId} was lost with its agent; it will be rescheduled")]
    private static partial void LogLost(ILogger logger, string allocationId);
}

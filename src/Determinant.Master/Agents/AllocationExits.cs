using Determinant.Master.Controller;
using Determinant.Master.Errors;
using Determinant.Master.Scheduling;
using Determinant.Master.Trials;

namespace Determinant.Master.Agents;

/// <summary>The one path by which an allocation on an agent ends: the controller decides the trial's outcome (§5.4), the slots free, the scheduler wakes.</summary>
internal sealed partial class AllocationExits(
    ExperimentController controller, AgentRegistry registry, AgentTrialScheduler scheduler, ILogger<AllocationExits> logger)
{
    /// <summary>The agent reported EXITED (again, perhaps); true when the master knew the allocation.</summary>
    public async Task<bool> ExitedAsync(string allocationId, int? exitCode, CancellationToken cancellationToken)
    {
        var exit = new AllocationExit(exitCode == 0 ? AllocationExitKind.Clean : AllocationExitKind.Failed, exitCode);
        return await RecordAsync(allocationId, exit, lost: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The allocation's agent was lost (or forgot it): a transient loss, rescheduled without counting a restart.</summary>
    public Task LostAsync(string allocationId, CancellationToken cancellationToken)
    {
        LogLost(logger, allocationId);
        return RecordAsync(allocationId, new AllocationExit(AllocationExitKind.TransientSystemError), lost: true, cancellationToken);
    }

    private async Task<bool> RecordAsync(string allocationId, AllocationExit exit, bool lost, CancellationToken cancellationToken)
    {
        // Free the slots first: whatever the controller decides, the process is gone.
        registry.Release(allocationId, lost);
        scheduler.Wake();
        try
        {
            await controller.RecordAllocationExitAsync(allocationId, exit, cancellationToken).ConfigureAwait(false);
        }
        catch (ConflictException)
        {
            // Already recorded: a repeated event, or an exit that raced a loss.
        }
        catch (NotFoundException)
        {
            return false;
        }
        finally
        {
            scheduler.Wake();
        }
        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Allocation {AllocationId} was lost with its agent; it will be rescheduled")]
    private static partial void LogLost(ILogger logger, string allocationId);
}

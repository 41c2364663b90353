using Determinant.Master.Agents;
using Determinant.Master.Controller;
using Determinant.Master.Errors;
using System.Data.Common;

namespace Determinant.Master.Scheduling;

/// <summary>Carries out one planned launch: reserve the slots, start the allocation, place it, queue the launch command.</summary>
internal sealed partial class TrialLauncher(
    ExperimentController controller, AgentRegistry registry, AgentTrialScheduler scheduler, AllocationExits exits,
    LaunchCommandBuilder builder, ILogger<TrialLauncher> logger)
{
    public async Task LaunchAsync(PlannedLaunch plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var request = plan.Request;
        var reservation = $"trial:{request.TrialId}";
        if (!registry.TryReserve(plan.AgentId, plan.SlotIds, reservation))
            return;
        AllocationGrant grant;
        try
        {
            grant = await controller.StartAllocationAsync(request.TrialId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ConflictException or NotFoundException)
        {
            // The trial may no longer run (paused, stopping, done); it asks again when it can.
            registry.Unreserve(plan.AgentId, reservation);
            scheduler.Remove(request.TrialId);
            return;
        }
        catch
        {
            registry.Unreserve(plan.AgentId, reservation);
            throw;
        }
        scheduler.Remove(request.TrialId);
        var placement = new Placement(grant.AllocationId, request.TrialId, request.ExperimentId, plan.AgentId, plan.SlotIds, request.Slots);
        if (!registry.Place(placement, reservation) || registry.Find(plan.AgentId) is not { } agent)
        {
            await exits.LostAsync(grant.AllocationId, cancellationToken).ConfigureAwait(false);
            return;
        }
        try
        {
            var launch = await builder.BuildAsync(grant, placement, agent, cancellationToken).ConfigureAwait(false);
            placement.LaunchSeq = agent.Commands.Enqueue(launch: launch);
            LogLaunched(logger, grant.AllocationId, plan.AgentId, plan.SlotIds.Count);
        }
        catch (Exception e) when (e is DbException or InvalidOperationException)
        {
            LogLaunchFailed(logger, grant.AllocationId, e);
            await exits.ExitedAsync(grant.AllocationId, exitCode: null, cancellationToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Allocation {AllocationId} queued for agent {AgentId} on {Slots} slots")]
    private static partial void LogLaunched(ILogger logger, string allocationId, string agentId, int slots);

    [LoggerMessage(Level = LogLevel.Error, Message = "Allocation {AllocationId} could not be launched")]
    private static partial void LogLaunchFailed(ILogger logger, string allocationId, Exception exception);
}

using Determinant.Master.Agents;
using Determinant.Master.Controller;
using Determinant.Master.Errors;
using System.Data.Common;

namespace Determinant.Master.Scheduling;

/// <summary>
/// Carries out one planned launch: reserve the slots (on every agent of a gang, all or none), start the allocation,
/// place it, queue one launch command per agent.
/// </summary>
internal sealed partial class TrialLauncher(
    ExperimentController controller, AgentRegistry registry, AgentTrialScheduler scheduler, AllocationExits exits,
    LaunchCommandBuilder builder, ILogger<TrialLauncher> logger)
{
    public async Task LaunchAsync(PlannedLaunch plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var request = plan.Request;
        var reservation = $"trial:{request.TrialId}";
        var shares = plan.Shares.Select(s => new PlacementShare(s.AgentId, s.SlotIds)).ToList();
        var agentIds = shares.Select(s => s.AgentId).ToList();
        if (!registry.TryReserve(shares, reservation))
            return;
        AllocationGrant grant;
        try
        {
            grant = await controller.StartAllocationAsync(request.TrialId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ConflictException or NotFoundException)
        {
            // The trial may no longer run (paused, stopping, done); it asks again when it can.
            registry.Unreserve(agentIds, reservation);
            scheduler.Remove(request.TrialId);
            return;
        }
        catch
        {
            registry.Unreserve(agentIds, reservation);
            throw;
        }
        scheduler.Remove(request.TrialId);
        var placement = new Placement(grant.AllocationId, request.TrialId, request.ExperimentId, shares, request.Slots);
        var agents = agentIds.Select(registry.Find).ToList();
        if (!registry.Place(placement, reservation) || agents.Any(a => a is null))
        {
            await exits.LostAsync(grant.AllocationId, cancellationToken).ConfigureAwait(false);
            return;
        }
        try
        {
            // Built first, queued together: a failure to build leaves no share started.
            var launches = new List<Protocol.Agent.LaunchCommand>(shares.Count);
            for (var i = 0; i < shares.Count; i++)
                launches.Add(await builder.BuildAsync(grant, placement, i, agents, cancellationToken).ConfigureAwait(false));
            for (var i = 0; i < shares.Count; i++)
            {
                shares[i].LaunchSeq = agents[i]!.Commands.Enqueue(launch: launches[i]);
                LogLaunched(logger, grant.AllocationId, shares[i].AgentId, shares[i].SlotIds.Count);
            }
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

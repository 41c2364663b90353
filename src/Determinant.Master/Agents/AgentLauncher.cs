using System.Data.Common;
using Determinant.Master.ResourceManagers;

namespace Determinant.Master.Agents;

/// <summary>
/// Carries out one planned launch: reserve the slots (on every agent of a gang, all or none), let the task start its
/// allocation and say what to run, place it, queue one launch command per agent.
/// </summary>
internal sealed partial class AgentLauncher(
    AgentRegistry registry, AgentResourceManager manager, IAllocationEvents events, AllocationExits exits, ILogger<AgentLauncher> logger)
{
    /// <summary>What holds a reserved slot until its allocation is placed: <c>reserved:&lt;task id&gt;</c>.</summary>
    public const string ReservationPrefix = "reserved:";

    public async Task LaunchAsync(PlannedLaunch plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var request = plan.Request;
        var reservation = ReservationPrefix + request.TaskId;
        var shares = plan.Shares.Select(s => new PlacementShare(s.AgentId, s.SlotIds)).ToList();
        var agentIds = shares.Select(s => s.AgentId).ToList();
        if (!registry.TryReserve(shares, reservation))
            return;
        AllocationStart? start;
        try
        {
            start = await events.StartAsync(request.TaskId, new AllocatedResources(request.Slots, request.Pool), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            registry.Unreserve(agentIds, reservation);
            throw;
        }
        // Started or refused, the request is answered; a task that may run later asks again.
        manager.Release(request.TaskId);
        if (start is null)
        {
            registry.Unreserve(agentIds, reservation);
            return;
        }
        var placement = new Placement(start.AllocationId, request.TaskId, request.Group, shares, request.Slots);
        var agents = agentIds.Select(registry.Find).ToList();
        if (!registry.Place(placement, reservation) || agents.Any(a => a is null))
        {
            await events.LostAsync(start.AllocationId, cancellationToken).ConfigureAwait(false);
            return;
        }
        try
        {
            // Built first, queued together: a failure to build leaves no share started.
            var launches = new List<Protocol.Agent.LaunchCommand>(shares.Count);
            for (var i = 0; i < shares.Count; i++)
                launches.Add(AgentLaunchCommands.Build(start, placement, i, agents!));
            for (var i = 0; i < shares.Count; i++)
            {
                shares[i].LaunchSeq = agents[i]!.Commands.Enqueue(launch: launches[i]);
                LogLaunched(logger, start.AllocationId, shares[i].AgentId, shares[i].SlotIds.Count);
            }
        }
        catch (Exception e) when (e is DbException or InvalidOperationException or ArgumentException)
        {
            LogLaunchFailed(logger, start.AllocationId, e);
            await exits.ExitedAsync(start.AllocationId, exitCode: null, cancellationToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Allocation {AllocationId} queued for agent {AgentId} on {Slots} slots")]
    private static partial void LogLaunched(ILogger logger, string allocationId, string agentId, int slots);

    [LoggerMessage(Level = LogLevel.Error, Message = "Allocation {AllocationId} could not be launched")]
    private static partial void LogLaunchFailed(ILogger logger, string allocationId, Exception exception);
}

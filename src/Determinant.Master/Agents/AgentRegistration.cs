using Determinant.Master.Configuration;
using Determinant.Master.Data;
using Determinant.Master.Data.Entities;
using Determinant.Master.ResourceManagers;
using Determinant.Protocol.Agent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Determinant.Master.Agents;

/// <summary>
/// <c>POST /api/v1/agents/register</c>: connects the agent's slots and reconciles what it lists with what the master
/// believes (docs/agent-protocol.md): placed here but not listed → lost; listed RUNNING but unknown or finished → kill;
/// listed RUNNING and live in the database (a master restart) → adopted; listed EXITED → the exit.
/// </summary>
internal sealed partial class AgentRegistration(
    AgentRegistry registry, AllocationExits exits, AgentResourceManager scheduler, MasterDbContext db, IOptions<MasterOptions> options, TimeProvider time, ILogger<AgentRegistration> logger)
{
    public async Task<RegisterAgentResponse> RegisterAsync(RegisterAgentRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (agent, missing) = registry.Register(request, time.GetUtcNow().UtcDateTime);
        LogRegistered(logger, agent.Id, agent.Slots.Count, agent.Pool, request.Allocations.Count);
        foreach (var placement in missing)
            await exits.LostAsync(placement.AllocationId, cancellationToken, agent.Id).ConfigureAwait(false);
        foreach (var held in request.Allocations)
        {
            if (held.State == AllocationStates.Exited)
                await exits.ExitedAsync(held.AllocationId, held.ExitCode, cancellationToken, agent.Id).ConfigureAwait(false);
            else if (registry.PlacementOf(held.AllocationId)?.ShareOn(agent.Id) is null)
                await AdoptOrKillAsync(agent, held, cancellationToken).ConfigureAwait(false);
        }
        scheduler.Wake();
        return new RegisterAgentResponse(agent.Id, options.Value.AgentHeartbeatSeconds, options.Value.AgentTimeoutSeconds, agent.Commands.Acknowledged);
    }

    private async Task AdoptOrKillAsync(ConnectedAgent agent, AgentAllocation held, CancellationToken cancellationToken)
    {
        var live = registry.IsLost(held.AllocationId) ? null : await db.Allocations.AsNoTracking()
            .Where(a => a.Id == held.AllocationId && a.State != AllocationState.Terminated)
            .Select(a => new { a.TaskId, a.Slots, a.KillRequested, Trial = db.Trials.Where(t => t.TaskId == a.TaskId).Select(t => new { t.ExperimentId }).FirstOrDefault() })
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (live is null)
        {
            LogKillingUnknown(logger, held.AllocationId, agent.Id);
            agent.Commands.Enqueue(kill: new KillCommand(held.AllocationId));
            return;
        }
        // The agent does not say which slots it holds; count the allocation's size against its free ones.
        var group = live.Trial is { } trial ? TaskGroups.Experiment(trial.ExperimentId) : TaskGroups.Task(live.TaskId);
        registry.Adopt(held.AllocationId, live.TaskId, group, agent.Id, live.Slots, held.State);
        // A kill asked for while no agent listed the allocation (a user's kill right after a master restart) was
        // recorded but reached no one: it goes out now.
        if (live.KillRequested)
        {
            LogKillingRequested(logger, held.AllocationId, agent.Id);
            agent.Commands.Enqueue(kill: new KillCommand(held.AllocationId));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Allocation {AllocationId} on agent {AgentId} was to be killed while no agent listed it; killing it now")]
    private static partial void LogKillingRequested(ILogger logger, string allocationId, string agentId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent {AgentId} registered with {Slots} slots in pool {Pool}, holding {Allocations} allocations")]
    private static partial void LogRegistered(ILogger logger, string agentId, int slots, string pool, int allocations);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Agent {AgentId} still runs allocation {AllocationId}, which the master gave up on; killing it")]
    private static partial void LogKillingUnknown(ILogger logger, string allocationId, string agentId);
}

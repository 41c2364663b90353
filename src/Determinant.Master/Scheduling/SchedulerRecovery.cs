using Determinant.Master.Configuration;
using Determinant.Master.Agents;
using Determinant.Master.Data;
using Determinant.Master.Data.Entities;
using Determinant.Master.Hosting;
using Determinant.Protocol.Api;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Determinant.Master.Scheduling;

/// <summary>
/// At master start: trials with work and no allocation wait for slots again; allocations left running by the previous
/// master get <c>agent_timeout_seconds</c> for their agents to re-register and list them, and are lost (rescheduled
/// without a restart counted) otherwise.
/// </summary>
internal sealed partial class SchedulerRecovery(
    IServiceScopeFactory scopes, AgentTrialScheduler scheduler, AgentRegistry registry, AllocationExits exits,
    IOptions<MasterOptions> options, TimeProvider time, ILogger<SchedulerRecovery> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        List<string> running;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MasterDbContext>();
            var live = db.Allocations.Where(a => a.State != AllocationState.Terminated);
            var waiting = await db.Trials.AsNoTracking()
                .Where(t => t.State == TrialState.Active && t.Experiment!.State == ExperimentState.Active && t.OpLength != null && !t.OpCompleted
                    && !live.Any(a => a.TrialId == t.Id))
                .Select(t => t.Id).ToListAsync(stoppingToken).ConfigureAwait(false);
            foreach (var trialId in waiting)
                await scheduler.TrialNeedsAllocationAsync(trialId, stoppingToken).ConfigureAwait(false);
            running = await live.Select(a => a.Id).ToListAsync(stoppingToken).ConfigureAwait(false);
        }
        if (running.Count == 0)
            return;
        LogWaitingForAgents(logger, running.Count, options.Value.AgentTimeoutSeconds);
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(options.Value.AgentTimeoutSeconds), time, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        foreach (var allocationId in running.Where(id => registry.PlacementOf(id) is null))
            await exits.LostAsync(allocationId, stoppingToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} allocations were running before the restart; waiting {Seconds} s for their agents")]
    private static partial void LogWaitingForAgents(ILogger logger, int count, int seconds);
}

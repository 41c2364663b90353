using Determinant.Master.Configuration;
using Determinant.Master.Data;
using Determinant.Master.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Determinant.Master.Agents;

/// <summary>
/// At master start: allocations left running by the previous master get <c>agent_timeout_seconds</c> for their agents
/// to re-register and list them, and are lost (their owners reschedule them, with no restart counted) otherwise.
/// </summary>
internal sealed partial class AgentRecovery(
    IServiceScopeFactory scopes, AgentRegistry registry, AllocationExits exits, IOptions<MasterOptions> options, TimeProvider time,
    ILogger<AgentRecovery> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        List<string> running;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MasterDbContext>();
            running = await db.Allocations.AsNoTracking().Where(a => a.State != AllocationState.Terminated).Select(a => a.Id)
                .ToListAsync(stoppingToken).ConfigureAwait(false);
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

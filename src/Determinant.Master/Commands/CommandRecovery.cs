using Determinant.Config;
using Determinant.Master.Data;
using Determinant.Master.Data.Entities;
using Determinant.Master.Tasks;
using Microsoft.EntityFrameworkCore;

namespace Determinant.Master.Commands;

/// <summary>At master start: commands still waiting for resources (no live allocation) ask for them again.</summary>
internal sealed class CommandRecovery(IServiceScopeFactory scopes, AllocationService allocations) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MasterDbContext>();
        var waiting = await db.Tasks.AsNoTracking()
            .Where(t => t.Type != TaskType.Trial && t.State == TaskState.Active && !db.Allocations.Any(a => a.TaskId == t.Id && a.State != AllocationState.Terminated))
            .ToListAsync(stoppingToken).ConfigureAwait(false);
        foreach (var task in waiting)
            await allocations.RequestAsync(CommandService.RequestOf(task, TaskConfigJson.Read(task.ConfigJson ?? "{}")), stoppingToken).ConfigureAwait(false);
    }
}

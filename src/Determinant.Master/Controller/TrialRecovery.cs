using Determinant.Master.Data;
using Determinant.Master.Data.Entities;
using Determinant.Master.Domain;
using Determinant.Master.Tasks;
using Determinant.Protocol.Api;
using Microsoft.EntityFrameworkCore;

namespace Determinant.Master.Controller;

/// <summary>At master start: trials with work and no live allocation ask for resources again.</summary>
internal sealed class TrialRecovery(IServiceScopeFactory scopes, ExperimentConfigCache configs, AllocationService allocations) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MasterDbContext>();
        var live = db.Allocations.Where(a => a.State != AllocationState.Terminated);
        var waiting = await db.Trials.AsNoTracking()
            .Where(t => t.State == TrialState.Active && t.Experiment!.State == ExperimentState.Active && t.OpLength != null && !t.OpCompleted
                && !live.Any(a => a.TaskId == t.TaskId))
            .Select(t => new { Trial = t, t.Experiment!.ConfigJson, t.Experiment.StartTime })
            .ToListAsync(stoppingToken).ConfigureAwait(false);
        foreach (var row in waiting)
        {
            var config = configs.Get(row.Trial.ExperimentId, row.ConfigJson);
            await allocations.RequestAsync(TrialRequests.For(row.Trial, config, row.StartTime), stoppingToken).ConfigureAwait(false);
        }
    }
}

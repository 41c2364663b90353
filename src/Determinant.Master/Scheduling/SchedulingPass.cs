using Determinant.Master.Domain;
using Determinant.Master.Agents;
using Determinant.Master.Controller;
using Determinant.Master.Data;
using Microsoft.EntityFrameworkCore;

namespace Determinant.Master.Scheduling;

/// <summary>One scheduling pass: load what the waiting trials need, plan against the agents' free slots, launch.</summary>
internal sealed class SchedulingPass(
    IServiceScopeFactory scopes, ExperimentConfigCache configs, AgentRegistry registry, AgentTrialScheduler scheduler, TrialLauncher launcher)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var waiting = scheduler.Waiting;
        if (waiting.Count == 0)
            return;
        var requests = waiting.Where(w => w.Value is not null).Select(w => w.Value!).ToList();
        var unknown = waiting.Where(w => w.Value is null).Select(w => w.Key).ToList();
        if (unknown.Count > 0)
            requests.AddRange(await LoadAsync(unknown, cancellationToken).ConfigureAwait(false));
        var (agents, usage) = registry.Read((all, placements) => (
            all.Select(a => new AgentCapacity(a.Id, a.Pool, a.FreeSlots)).ToList(),
            placements.GroupBy(p => p.ExperimentId).ToDictionary(g => g.Key, g => g.Sum(p => p.SlotsNeeded))));
        if (agents.Count == 0)
            return;
        foreach (var plan in SchedulingPlanner.Plan(requests, agents, usage))
            await launcher.LaunchAsync(plan, cancellationToken).ConfigureAwait(false);
    }

    private async Task<List<SchedulingRequest>> LoadAsync(List<int> trialIds, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MasterDbContext>();
        var rows = await db.Trials.AsNoTracking().Where(t => trialIds.Contains(t.Id))
            .Select(t => new { t.Id, t.ExperimentId, t.Experiment!.ConfigJson }).ToListAsync(cancellationToken).ConfigureAwait(false);
        foreach (var gone in trialIds.Except(rows.Select(r => r.Id)))
            scheduler.Remove(gone);
        var requests = new List<SchedulingRequest>();
        foreach (var row in rows)
        {
            var resources = configs.Get(row.ExperimentId, row.ConfigJson).Resources;
            var request = new SchedulingRequest(row.Id, row.ExperimentId, resources.SlotsPerTrial,
                resources.Priority ?? SchedulingRequest.DefaultPriority, resources.Weight, resources.MaxSlots,
                resources.ResourcePool.Length == 0 ? AgentRegistry.DefaultPool : resources.ResourcePool, resources.IsSingleNode == true);
            scheduler.Loaded(request);
            requests.Add(request);
        }
        return requests;
    }
}

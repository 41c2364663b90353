using Determinant.Master.Domain;
using Determinant.Master.Agents;
using Determinant.Master.Controller;
using Determinant.Master.Data;
using Determinant.Master.Data.Entities;
using Determinant.Protocol.Api;
using Microsoft.EntityFrameworkCore;

namespace Determinant.Master.WebUi;

/// <summary>
/// <c>GET /api/v1/webui/tasks</c>: what the dashboard and the cluster page show of the work on the cluster — the current
/// allocations (trial tasks holding or waiting for slots) and the queue: active trials of active experiments without an
/// allocation, in the order the scheduler considers them (priority, lower first; then the older experiment and trial).
/// The scheduler also shares slots fairly between experiments of one priority, so the position is a guide, not a promise.
/// </summary>
internal static class ClusterTasks
{
    /// <summary>The priority of a trial whose config names none (the scheduler's default).</summary>
    public const int DefaultPriority = Scheduling.SchedulingRequest.DefaultPriority;

    public sealed record TaskRow(string AllocationId, string TaskId, int TrialId, int ExperimentId, string ExperimentName, string State,
        DateTime StartTime, string? Agent, IReadOnlyList<int> Slots);

    public sealed record QueueRow(int Position, int TrialId, int ExperimentId, string ExperimentName, int Priority, int Slots, string ResourcePool,
        DateTime WaitingSince);

    public sealed record Response(IReadOnlyList<TaskRow> Tasks, IReadOnlyList<QueueRow> Queue);

    public static void Map(IEndpointRouteBuilder api) => api.MapGet("/webui/tasks", GetAsync).WithTags("Web UI");

    internal static async Task<Response> GetAsync(MasterDbContext db, ExperimentConfigCache configs, AgentRegistry agents, CancellationToken cancellationToken)
    {
        var allocations = await db.Allocations.AsNoTracking().Where(a => a.State != AllocationState.Terminated)
            .Join(db.Trials, a => a.TrialId, t => t.Id, (a, t) => new { a.Id, a.TaskId, a.TrialId, t.ExperimentId, a.State, a.StartTime })
            .Join(db.Experiments, a => a.ExperimentId, e => e.Id, (a, e) => new { a.Id, a.TaskId, a.TrialId, a.ExperimentId, e.Name, a.State, a.StartTime })
            .OrderBy(a => a.StartTime).ThenBy(a => a.Id)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        // Which agent's slots each allocation holds, as the agents' view shows them.
        var held = ClusterViews.Agents(agents).Agents
            .SelectMany(a => a.Slots.Where(s => s.AllocationId is not null).Select(s => (Agent: a.Id, s.AllocationId, s.Id)))
            .GroupBy(s => s.AllocationId!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (g.First().Agent, Slots: (IReadOnlyList<int>)[.. g.Select(s => s.Id).Order()]), StringComparer.Ordinal);
        var tasks = allocations.Select(a =>
        {
            var where = held.GetValueOrDefault(a.Id);
            return new TaskRow(a.Id, a.TaskId, a.TrialId, a.ExperimentId, a.Name, a.State.ToString().ToUpperInvariant(), a.StartTime, where.Agent,
                where.Slots ?? []);
        }).ToList();

        var busy = allocations.Select(a => a.TrialId).ToHashSet();
        var waiting = await db.Trials.AsNoTracking()
            .Where(t => t.State == TrialState.Active && t.Experiment!.State == ExperimentState.Active)
            .Select(t => new { t.Id, t.ExperimentId, t.Experiment!.Name, t.Experiment.ConfigJson, t.StartTime })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var queue = waiting.Where(t => !busy.Contains(t.Id))
            .Select(t =>
            {
                var resources = configs.Get(t.ExperimentId, t.ConfigJson).Resources;
                return (t.Id, t.ExperimentId, t.Name, Priority: resources.Priority ?? DefaultPriority, resources.SlotsPerTrial,
                    Pool: resources.ResourcePool.Length == 0 ? AgentRegistry.DefaultPool : resources.ResourcePool, t.StartTime);
            })
            .OrderBy(t => t.Priority).ThenBy(t => t.ExperimentId).ThenBy(t => t.Id)
            .Select((t, i) => new QueueRow(i + 1, t.Id, t.ExperimentId, t.Name, t.Priority, t.SlotsPerTrial, t.Pool, t.StartTime))
            .ToList();
        return new Response(tasks, queue);
    }
}

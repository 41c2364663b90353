using Determinant.Master.Data;
using Determinant.Master.Data.Entities;
using Determinant.Master.Domain;
using Determinant.Master.ResourceManagers;
using Determinant.Master.Tasks;
using Determinant.Protocol.Api;
using Microsoft.EntityFrameworkCore;

namespace Determinant.Master.WebUi;

/// <summary>
/// <c>GET /api/v1/webui/tasks</c>: what the dashboard and the cluster page show of the work on the cluster — the current
/// allocations (of trials, notebooks, TensorBoards, commands), where they hold slots, and the queue: active trials of
/// active experiments without an allocation, in the order the scheduler considers them (priority, lower first; then the
/// older experiment and trial). The scheduler also shares slots fairly between experiments of one priority, so the
/// position is a guide, not a promise.
/// </summary>
internal static class ClusterTasks
{
    public sealed record TaskRow(string AllocationId, string TaskId, string Type, string? Description, int? TrialId, int? ExperimentId,
        string? ExperimentName, string State, DateTime StartTime, string? Agent, IReadOnlyList<int> Slots);

    public sealed record QueueRow(int Position, int TrialId, int ExperimentId, string ExperimentName, int Priority, int Slots, string ResourcePool,
        DateTime WaitingSince);

    public sealed record Response(IReadOnlyList<TaskRow> Tasks, IReadOnlyList<QueueRow> Queue);

    public static void Map(IEndpointRouteBuilder api) => api.MapGet("/webui/tasks", GetAsync).WithTags("Web UI");

    internal static async Task<Response> GetAsync(MasterDbContext db, ExperimentConfigCache configs, IResourceManager resources, CancellationToken cancellationToken)
    {
        var allocations = await (
            from a in db.Allocations.AsNoTracking()
            where a.State != AllocationState.Terminated
            join k in db.Tasks on a.TaskId equals k.Id
            join t in db.Trials on a.TaskId equals t.TaskId into trials
            from t in trials.DefaultIfEmpty()
            orderby a.StartTime, a.Id
            select new { a.Id, a.TaskId, k.Type, k.Description, TrialId = (int?)t.Id, ExperimentId = (int?)t.ExperimentId, ExperimentName = t.Experiment!.Name, a.State, a.StartTime })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        // Which node's slots each allocation holds, as the resource manager shows them.
        var held = resources.Summary().Nodes
            .SelectMany(n => n.Slots.Where(s => s.AllocationId is not null).Select(s => (Node: n.Id, s.AllocationId, s.Index)))
            .GroupBy(s => s.AllocationId!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (g.First().Node, Slots: (IReadOnlyList<int>)[.. g.Select(s => s.Index).Order()]), StringComparer.Ordinal);
        var tasks = allocations.Select(a =>
        {
            var where = held.GetValueOrDefault(a.Id);
            return new TaskRow(a.Id, a.TaskId, TaskTypes.Wire(a.Type), a.Description, a.TrialId, a.ExperimentId, a.ExperimentName,
                a.State.ToString().ToUpperInvariant(), a.StartTime, where.Node, where.Slots ?? []);
        }).ToList();

        var busy = allocations.Select(a => a.TaskId).ToHashSet(StringComparer.Ordinal);
        var waiting = await db.Trials.AsNoTracking()
            .Where(t => t.State == TrialState.Active && t.Experiment!.State == ExperimentState.Active)
            .Select(t => new { t.Id, t.TaskId, t.ExperimentId, t.Experiment!.Name, t.Experiment.ConfigJson, t.StartTime })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var queue = waiting.Where(t => !busy.Contains(t.TaskId))
            .Select(t =>
            {
                var config = configs.Get(t.ExperimentId, t.ConfigJson).Resources;
                return (t.Id, t.ExperimentId, t.Name, Priority: config.Priority ?? AllocationRequest.DefaultPriority, config.SlotsPerTrial,
                    Pool: PoolNames.Resolve(config.ResourcePool), t.StartTime);
            })
            .OrderBy(t => t.Priority).ThenBy(t => t.ExperimentId).ThenBy(t => t.Id)
            .Select((t, i) => new QueueRow(i + 1, t.Id, t.ExperimentId, t.Name, t.Priority, t.SlotsPerTrial, t.Pool, t.StartTime))
            .ToList();
        return new Response(tasks, queue);
    }
}

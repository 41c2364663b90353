using System.Security.Claims;
using Determinant.Master.Auth;
using Determinant.Master.Data;
using Determinant.Master.Data.Entities;
using Determinant.Master.Errors;
using Determinant.Master.Tasks;
using Determinant.Protocol.Api;
using Microsoft.EntityFrameworkCore;

namespace Determinant.Master.Commands;

/// <summary>Tasks that are not trials as the API shows them: state from the task and its latest allocation.</summary>
internal static class TaskViews
{
    private sealed record Row(TaskEntity Task, string Username, AllocationEntity? Live);

    public static async Task<IReadOnlyList<TaskDto>> ListAsync(MasterDbContext db, ClaimsPrincipal user, TaskType? type, CancellationToken cancellationToken)
    {
        var query = db.Tasks.AsNoTracking().Where(t => t.Type != TaskType.Trial);
        if (type is { } only)
            query = query.Where(t => t.Type == only);
        if (!user.IsAdmin())
        {
            var me = user.GetUserId();
            query = query.Where(t => t.OwnerId == me);
        }
        var rows = await RowsAsync(db, query.OrderByDescending(t => t.StartTime).Take(1000), cancellationToken).ConfigureAwait(false);
        return [.. rows.Select(ToDto)];
    }

    /// <exception cref="NotFoundException">No such task of <paramref name="type"/> (of any type but trial when null).</exception>
    /// <exception cref="ForbiddenException">Not the caller's (and the caller is no admin).</exception>
    public static async Task<(TaskDto Task, string? ConfigJson)> GetAsync(
        MasterDbContext db, ClaimsPrincipal user, string id, TaskType? type, CancellationToken cancellationToken)
    {
        var query = type is { } only
            ? db.Tasks.AsNoTracking().Where(t => t.Id == id && t.Type == only)
            : db.Tasks.AsNoTracking().Where(t => t.Id == id && t.Type != TaskType.Trial);
        var row = (await RowsAsync(db, query, cancellationToken).ConfigureAwait(false))
            .FirstOrDefault() ?? throw new NotFoundException($"{(type is { } t ? TaskTypes.Wire(t).ToLowerInvariant() : "task")} {id} not found");
        user.RequireOwnerOrAdmin(row.Task.OwnerId, "task");
        return (ToDto(row), row.Task.ConfigJson);
    }

    private static async Task<List<Row>> RowsAsync(MasterDbContext db, IQueryable<TaskEntity> tasks, CancellationToken cancellationToken)
    {
        var found = await tasks.Select(t => new { Task = t, t.Owner!.Username }).ToListAsync(cancellationToken).ConfigureAwait(false);
        var ids = found.Select(f => f.Task.Id).ToList();
        var live = await db.Allocations.AsNoTracking().Where(a => ids.Contains(a.TaskId) && a.State != AllocationState.Terminated)
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var byTask = live.GroupBy(a => a.TaskId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.MaxBy(a => a.RunId), StringComparer.Ordinal);
        return [.. found.Select(f => new Row(f.Task, f.Username, byTask.GetValueOrDefault(f.Task.Id)))];
    }

    private static TaskDto ToDto(Row row)
    {
        var (t, live) = (row.Task, row.Live);
        var state = t.State == TaskState.Terminated && live is null ? "STATE_TERMINATED"
            : live is null ? "STATE_QUEUED"
            : live.KillRequested || t.State == TaskState.Terminated ? "STATE_TERMINATING"
            : live.State == AllocationState.Pending ? "STATE_STARTING"
            : "STATE_RUNNING";
        var sources = TensorBoardSources.FromJson(t.SourcesJson);
        return new TaskDto(t.Id, TaskTypes.Wire(t.Type), t.Description ?? "", state, row.Username, t.OwnerId, t.ResourcePool, t.Slots,
            t.StartTime, t.EndTime, t.ExitStatus, live?.ProxyAddress is null ? null : $"/proxy/{t.Id}/", live?.Ready ?? false,
            sources?.ExperimentIds, sources?.TrialIds);
    }
}

using System.Security.Claims;
using Determinant.Master.Auth;
using Determinant.Master.Data;
using Determinant.Master.Data.Entities;
using Determinant.Master.Errors;
using Determinant.Master.ResourceManagers;
using Determinant.Protocol.CoreApi;
using Microsoft.EntityFrameworkCore;

namespace Determinant.Master.Tasks;

/// <summary>
/// <c>POST /api/v1/task/logs</c>: batches of log lines from a task (an allocation token may only write its own task's, a
/// user only their own tasks'; see <see cref="TrialAccess.RequireTaskLogWriterAsync"/>).
/// </summary>
internal static class TaskLogEndpoints
{
    public static void Map(IEndpointRouteBuilder core) => core.MapPost("/task/logs", IngestAsync).WithTags("Core API");

    internal static async Task<IResult> IngestAsync(
        PostTaskLogsRequest request, ClaimsPrincipal user, MasterDbContext db, IAgentPlacements agents, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        List<(string TaskId, string? AllocationId)> lines = [.. request.Logs.Select(l => (l.TaskId, l.AllocationId))];
        if (user.IsAgent())
            RequireAgentLogWriter(user, lines, agents);
        await TrialAccess.RequireTaskLogWriterAsync(user, lines, db, cancellationToken).ConfigureAwait(false);
        db.TaskLogs.AddRange(request.Logs.Select(l => new TaskLogEntity
        {
            TaskId = l.TaskId,
            AllocationId = l.AllocationId,
            AgentId = l.AgentId,
            ContainerId = l.ContainerId,
            RankId = l.RankId,
            Timestamp = l.Timestamp.UtcDateTime,
            Level = l.Level,
            StdType = l.Stdtype,
            Source = l.Source,
            Log = l.Log,
        }));
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new Dictionary<string, string>());
    }

    /// <summary>
    /// An agent ships lines only of allocations it runs: each line names its allocation, and none may be placed on
    /// another agent. Lines of an allocation placed nowhere (ended, its lines shipped late after an outage, or not yet
    /// listed after a master restart) pass, since the master keeps no record of where an ended allocation ran.
    /// </summary>
    private static void RequireAgentLogWriter(ClaimsPrincipal principal, IReadOnlyCollection<(string TaskId, string? AllocationId)> lines, IAgentPlacements agents)
    {
        var agentId = principal.FindFirstValue(MasterClaims.AgentId) ?? "";
        foreach (var (taskId, allocationId) in lines)
        {
            if (allocationId is null)
                throw new ForbiddenException($"agent '{agentId}' sent a log line of task {taskId} without its allocation");
            if (agents.IsPlacedElsewhere(allocationId, agentId))
                throw new ForbiddenException($"agent '{agentId}' may not send logs of allocation {allocationId}, which runs on another agent");
        }
    }
}

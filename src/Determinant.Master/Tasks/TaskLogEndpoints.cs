using System.Security.Claims;
using Determinant.Master.Auth;
using Determinant.Master.Data;
using Determinant.Master.Data.Entities;
using Determinant.Master.Errors;
using Determinant.Protocol.CoreApi;
using Microsoft.EntityFrameworkCore;

namespace Determinant.Master.Tasks;

/// <summary><c>POST /api/v1/task/logs</c>: batches of log lines from a task (an allocation token may only write its own task's).</summary>
internal static class TaskLogEndpoints
{
    public static void Map(IEndpointRouteBuilder core) => core.MapPost("/task/logs", IngestAsync).WithTags("Core API");

    internal static async Task<IResult> IngestAsync(PostTaskLogsRequest request, ClaimsPrincipal user, MasterDbContext db, CancellationToken cancellationToken)
    {
        if (user.IsAllocation())
        {
            var taskId = user.FindFirstValue(MasterClaims.TaskId);
            if (request.Logs.Any(l => l.TaskId != taskId))
                throw new ForbiddenException($"this allocation token may only send logs of task {taskId}");
        }
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
}

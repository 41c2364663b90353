using Determinant.Master.Auth;
using Determinant.Master.Domain;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using Determinant.Master.Controller;
using Determinant.Master.CoreApi;
using Determinant.Master.Data;
using Determinant.Master.Data.Entities;
using Determinant.Master.Errors;
using Determinant.Protocol.Api;
using Determinant.Protocol.CoreApi;
using Microsoft.EntityFrameworkCore;

namespace Determinant.Master.Checkpoints;

/// <summary>
/// <c>POST /api/v1/checkpoints</c> (a task reports a checkpoint), <c>GET /api/v1/checkpoints/{uuid}</c> (the record, with its
/// <c>resources</c>: every file and its size; the tar.gz with <c>Accept: application/gzip</c>) and <c>GET …/{uuid}/download</c>.
/// </summary>
internal static class CheckpointReportEndpoints
{
    public static void Map(IEndpointRouteBuilder core)
    {
        var group = core.MapGroup("/checkpoints").WithTags("Core API");
        group.MapPost("", ReportAsync);
        group.MapGet("/{uuid:guid}", async (Guid uuid, HttpRequest request, CheckpointQueries q, MasterDbContext db, ExperimentConfigCache configs,
                CancellationToken ct) => CheckpointDownload.WantsArchive(request)
            ? await CheckpointDownload.DownloadAsync(uuid, request, db, configs, ct).ConfigureAwait(false)
            : (IResult)TypedResults.Ok(await q.GetAsync(uuid, ct).ConfigureAwait(false)))
            .Produces<CheckpointResponse>().Produces(StatusCodes.Status200OK, contentType: CheckpointDownload.GzipMediaType);
        group.MapGet("/{uuid:guid}/download", CheckpointDownload.DownloadAsync)
            .Produces(StatusCodes.Status200OK, contentType: CheckpointDownload.GzipMediaType)
            .Produces(StatusCodes.Status200OK, contentType: CheckpointDownload.TarMediaType);
    }

    internal static async Task<IResult> ReportAsync(ReportCheckpointRequest request, ClaimsPrincipal user, MasterDbContext db, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(request.Uuid, out var uuid))
            throw new BadRequestException($"checkpoint uuid '{request.Uuid}' is not a UUID");
        if (request.Metadata["steps_completed"] is not JsonValue stepsValue || !stepsValue.TryGetValue<long>(out var steps))
            throw new BadRequestException("checkpoint metadata must hold steps_completed as an integer (batches)");
        var trialId = await TrialOfTaskAsync(db, request.TaskId, cancellationToken).ConfigureAwait(false);
        await TrialAccess.RequireAsync(user, trialId, db, write: true, cancellationToken).ConfigureAwait(false);
        TrialAccess.RequireOwnAllocation(user, request.AllocationId);
        var state = request.State.Replace("STATE_", "", StringComparison.Ordinal) switch
        {
            CheckpointStates.Completed => CheckpointState.Completed,
            CheckpointStates.Active => CheckpointState.Active,
            CheckpointStates.Error => CheckpointState.Error,
            _ => throw new BadRequestException($"checkpoint state '{request.State}' cannot be reported; use COMPLETED"),
        };
        var row = await db.Checkpoints.FirstOrDefaultAsync(c => c.Uuid == uuid, cancellationToken).ConfigureAwait(false);
        if (row is null)
        {
            row = new CheckpointEntity { Uuid = uuid, TaskId = request.TaskId, ResourcesJson = "{}", MetadataJson = "{}" };
            db.Checkpoints.Add(row);
        }
        row.TrialId = trialId;
        row.TaskId = request.TaskId;
        row.AllocationId = request.AllocationId;
        row.ReportTime = request.ReportTime.UtcDateTime;
        row.State = state;
        row.ResourcesJson = JsonSerializer.Serialize(request.Resources.ToDictionary(p => p.Key, p => p.Value), CheckpointJson.Default.DictionaryStringInt64);
        row.MetadataJson = request.Metadata.ToJsonString();
        row.StepsCompleted = steps;
        row.Size = request.Resources.Values.Sum();
        row.StorageId = request.StorageId?.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new Dictionary<string, string>());
    }

    /// <summary>The trial whose task is <paramref name="taskId"/> (<c>&lt;experiment id&gt;.&lt;uuid&gt;</c>).</summary>
    private static async Task<int> TrialOfTaskAsync(MasterDbContext db, string taskId, CancellationToken cancellationToken)
    {
        var dot = taskId.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0 || !int.TryParse(taskId.AsSpan(0, dot), out _) || !Guid.TryParse(taskId.AsSpan(dot + 1), out _))
            throw new BadRequestException($"task id '{taskId}' is not a trial's task id (<experiment id>.<uuid>)");
        return await db.Trials.Where(t => t.TaskId == taskId).Select(t => (int?)t.Id)
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false) ?? throw new NotFoundException($"task {taskId} not found");
    }
}

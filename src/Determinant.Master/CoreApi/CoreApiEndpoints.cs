using System.Security.Claims;
using Determinant.Master.Controller;
using Determinant.Master.Data;
using Determinant.Master.Errors;
using Determinant.Master.Experiments;
using Determinant.Master.Checkpoints;
using Determinant.Master.Auth;
using Determinant.Master.Trials;
using Determinant.Protocol.CoreApi;
using Microsoft.EntityFrameworkCore;

namespace Determinant.Master.CoreApi;

/// <summary>The trial-facing routes of REFERENCE.md §7.2; callable with the trial's allocation token or a user token.</summary>
internal static class CoreApiEndpoints
{
    public static void Map(IEndpointRouteBuilder core)
    {
        var trials = core.MapGroup("/trials/{id:int}").WithTags("Core API");
        trials.MapGet("", async (int id, ClaimsPrincipal user, MasterDbContext db, TrialQueries q, CancellationToken ct) =>
        {
            await TrialAccess.RequireAsync(user, id, db, write: false, ct).ConfigureAwait(false);
            return await q.GetAsync(id, ct).ConfigureAwait(false);
        });
        trials.MapPost("/metrics", ReportMetricsAsync).WithMetadata(RequestBodyLimit.Reports);
        trials.MapPost("/metrics/batch", ReportMetricsBatchAsync).WithMetadata(RequestBodyLimit.Reports);
        trials.MapGet("/searcher/operation", async (int id, ClaimsPrincipal user, MasterDbContext db, CancellationToken ct) =>
        {
            await TrialAccess.RequireAsync(user, id, db, write: false, ct).ConfigureAwait(false);
            var trial = await db.Trials.AsNoTracking().SingleAsync(t => t.Id == id, ct).ConfigureAwait(false);
            return TrialReports.CurrentOperation(trial);
        });
        trials.MapPost("/searcher/completed_operation", (int id, CompleteValidateAfterOperationRequest request, ClaimsPrincipal user,
            MasterDbContext db, ExperimentController controller, CancellationToken ct) =>
            WriteAsync(id, user, db, controller, s => TrialReports.CompleteOperation(s, id, request.Op.Length, request.SearcherMetric), ct));
        trials.MapPost("/progress", (int id, ReportTrialProgressRequest request, ClaimsPrincipal user,
            MasterDbContext db, ExperimentController controller, CancellationToken ct) =>
            WriteAsync(id, user, db, controller, s =>
            {
                // Raw progress (a fraction reported by a Core API script) is not in searcher units; the searcher ignores it.
                if (!request.IsRaw)
                    s.SetProgress(s.Trials.Single(t => t.Id == id), request.Progress);
            }, ct));
        trials.MapPost("/early_exit", (int id, ReportTrialEarlyExitRequest request, ClaimsPrincipal user,
            MasterDbContext db, ExperimentController controller, CancellationToken ct) =>
            WriteAsync(id, user, db, controller, s => TrialReports.EarlyExit(s, id, request.Reason), ct));
        trials.MapPost("/runner/metadata", (int id, ReportRunnerStateRequest request, ClaimsPrincipal user,
            MasterDbContext db, ExperimentController controller, CancellationToken ct) =>
            WriteAsync(id, user, db, controller, s => s.Trials.Single(t => t.Id == id).RunnerState = request.State.ToString().ToLowerInvariant(), ct));
        core.MapGet("/experiments/{id:int}/searcher/best_searcher_validation_metric", async (int id, ClaimsPrincipal user,
            MasterDbContext db, ExperimentQueries q, CancellationToken ct) =>
        {
            if (user.GetAllocationTrialId() is { } trialId
                && await TrialAccess.RequireAsync(user, trialId, db, write: false, ct).ConfigureAwait(false) != id)
                throw new ForbiddenException($"this allocation token is not valid for experiment {id}");
            var best = await q.BestSearcherMetricAsync(id, ct).ConfigureAwait(false);
            return new BestSearcherValidationMetricResponse(best.Metric);
        });
    }

    /// <summary>
    /// Training reports go to the batched ingestion queue; a task's allocation token (cached) is all the check they need.
    /// Validation reports feed the searcher, so they run in the experiment's controller session.
    /// </summary>
    private static async Task<IResult> ReportMetricsAsync(int id, ReportTrialMetricsRequest request, ClaimsPrincipal user,
        MetricIngestQueue ingestion, HttpContext context, CancellationToken cancellationToken)
    {
        if (request.Group is not (MetricGroups.Training or MetricGroups.Validation))
            throw new BadRequestException($"group '{request.Group}' is not one of training, validation");
        if (request.Metrics is null)
            throw new BadRequestException("metrics: is required (one report)");
        if (request.Metrics.TrialId != 0 && request.Metrics.TrialId != id)
            throw new BadRequestException($"metrics for trial {request.Metrics.TrialId} were sent to trial {id}");
        var metricsJson = MetricReportLimits.Check(request.Metrics, "metrics");
        if (request.Group == MetricGroups.Training)
        {
            await RequireTrainingWriterAsync(id, user, context, cancellationToken).ConfigureAwait(false);
            await ingestion.ReportAsync(PendingMetricReport.Training(id, request.Metrics, metricsJson), cancellationToken).ConfigureAwait(false);
            return TypedResults.Ok(new Dictionary<string, string>());
        }
        var db = context.RequestServices.GetRequiredService<MasterDbContext>();
        var experimentId = await TrialAccess.RequireAsync(user, id, db, write: true, cancellationToken).ConfigureAwait(false);
        var stored = await context.RequestServices.GetRequiredService<ExperimentController>()
            .RunAsync(experimentId, (s, ct) => TrialReports.RecordMetricsAsync(s, id, request.Metrics, metricsJson, request.Group, ct), cancellationToken)
            .ConfigureAwait(false);
        if (stored)
            context.RequestServices.GetRequiredService<MetricReportSignal>().Raise(new StoredMetricReport(id, request.Group,
                (long)request.Metrics.StepsCompleted, metricsJson));
        return TypedResults.Ok(new Dictionary<string, string>());
    }

    /// <summary>
    /// Several training reports of one trial (what a reporter accumulated during its previous call) through the same
    /// queue: each is keyed and deduplicated like a single report, and the call answers once every one is committed.
    /// </summary>
    private static async Task<IResult> ReportMetricsBatchAsync(int id, ReportTrialMetricsBatchRequest request, ClaimsPrincipal user,
        MetricIngestQueue ingestion, HttpContext context, CancellationToken cancellationToken)
    {
        if (request.Group != MetricGroups.Training)
            throw new BadRequestException($"group '{request.Group}': only training reports may be batched; send validation reports one at a time");
        if (request.Metrics is not { Count: > 0 } reports)
            throw new BadRequestException("metrics: a batch needs at least one report");
        if (reports.Count > ReportTrialMetricsBatchRequest.MaxReports)
            throw new BadRequestException($"metrics: {reports.Count} reports exceed the limit of {ReportTrialMetricsBatchRequest.MaxReports} per batch");
        var metricsJson = new string[reports.Count];
        for (var i = 0; i < reports.Count; i++)
        {
            if (reports[i] is null)
                throw new BadRequestException($"metrics[{i}]: must be a report, not null");
            if (reports[i].TrialId != 0 && reports[i].TrialId != id)
                throw new BadRequestException($"metrics[{i}]: metrics for trial {reports[i].TrialId} were sent to trial {id}");
            metricsJson[i] = MetricReportLimits.Check(reports[i], $"metrics[{i}]");
        }
        await RequireTrainingWriterAsync(id, user, context, cancellationToken).ConfigureAwait(false);
        var pending = new Task<bool>[reports.Count];
        for (var i = 0; i < reports.Count; i++)
            pending[i] = ingestion.ReportAsync(PendingMetricReport.Training(id, reports[i], metricsJson[i]), cancellationToken);
        await Task.WhenAll(pending).ConfigureAwait(false);
        return TypedResults.Ok(new Dictionary<string, string>());
    }

    /// <summary>A trial's own allocation token (cached, no database) or a user who may change the trial.</summary>
    private static async Task RequireTrainingWriterAsync(int id, ClaimsPrincipal user, HttpContext context, CancellationToken cancellationToken)
    {
        if (user.IsAllocation())
        {
            if (user.GetAllocationTrialId() != id)
                throw new ForbiddenException($"this allocation token is not valid for trial {id}");
            return;
        }
        await TrialAccess.RequireAsync(user, id, context.RequestServices.GetRequiredService<MasterDbContext>(), write: true, cancellationToken)
            .ConfigureAwait(false);
    }

    private static async Task<IResult> WriteAsync(int trialId, ClaimsPrincipal user, MasterDbContext db, ExperimentController controller,
        Action<ExperimentSession> work, CancellationToken cancellationToken)
    {
        var experimentId = await TrialAccess.RequireAsync(user, trialId, db, write: true, cancellationToken).ConfigureAwait(false);
        await controller.RunAsync(experimentId, work, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new Dictionary<string, string>());
    }
}

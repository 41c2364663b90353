using Determinant.Master.Domain;
using Determinant.Master.Controller;
using Determinant.Master.Data.Entities;
using Determinant.Master.Errors;
using Determinant.Master.Tasks;
using Determinant.Master.Experiments;
using Determinant.Protocol.CoreApi;
using Determinant.Searchers;
using Microsoft.EntityFrameworkCore;

namespace Determinant.Master.CoreApi;

/// <summary>What a trial reports, applied inside the controller's session for its experiment.</summary>
internal static class TrialReports
{
    /// <summary>How long a task that reported <c>INVALID_HP</c> has to exit before the master kills it.</summary>
    public static readonly TimeSpan InvalidHpGracePeriod = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Stores a metrics report once per (trial, group, steps). A retry of the same run stores nothing; a later run that
    /// re-reports steps after resuming from an older checkpoint replaces the row, since the old values were rolled back.
    /// </summary>
    /// <remarks>
    /// A non-finite searcher metric (a diverged loss, sent as <c>"NaN"</c>) is kept in the stored report as sent, but
    /// ranks as no metric at all: it is never a trial's or an experiment's best, nor the metric of a best checkpoint.
    /// </remarks>
    public static async Task<bool> RecordMetricsAsync(
        ExperimentSession session, int trialId, TrialMetrics report, string metricsJson, string group, CancellationToken cancellationToken)
    {
        var trial = session.Trials.Single(t => t.Id == trialId);
        var steps = (long)report.StepsCompleted;
        double? searcherMetric = null;
        if (group == MetricGroups.Validation)
        {
            var name = session.Config.Searcher.Metric;
            if (MetricReportLimits.Number(report.Metrics.AvgMetrics[name]) is not { } metric)
                throw new BadRequestException($"validation metrics must hold the searcher metric '{name}' as a number (or \"NaN\", \"Infinity\", "
                    + "\"-Infinity\"); got keys " + string.Join(", ", report.Metrics.AvgMetrics.Select(p => p.Key)));
            searcherMetric = double.IsFinite(metric) ? metric : null;
        }
        var existing = await session.Db.Metrics.FirstOrDefaultAsync(
            m => m.TrialId == trialId && m.Group == group && m.StepsCompleted == steps, cancellationToken).ConfigureAwait(false);
        if (existing is not null && existing.RunId >= report.TrialRunId)
            return false;
        existing ??= session.Db.Metrics.Add(new MetricReportEntity { TrialId = trialId, Group = group, MetricsJson = "" }).Entity;
        existing.RunId = report.TrialRunId;
        existing.StepsCompleted = steps;
        existing.ReportTime = report.ReportTime.UtcDateTime;
        existing.MetricsJson = metricsJson;
        existing.SearcherMetric = searcherMetric;
        await session.Db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        trial.TotalBatches = Math.Max(trial.TotalBatches, steps);
        if (group == MetricGroups.Validation)
            await UpdateValidationsAsync(session, trial, existing, searcherMetric, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private static async Task UpdateValidationsAsync(ExperimentSession session, TrialEntity trial, MetricReportEntity report, double? metric, CancellationToken cancellationToken)
    {
        if (trial.LatestValidationSteps is not { } latest || latest <= report.StepsCompleted)
            trial.LatestValidationSteps = report.StepsCompleted;
        var best = trial.BestValidationSteps is { } b
            ? await session.Db.Metrics.FindAsync([trial.Id, MetricReportEntity.Validation, b], cancellationToken).ConfigureAwait(false)
            : null;
        var sign = session.Config.Searcher.SmallerIsBetter ? 1 : -1;
        // A report without a usable metric is best only while there is no other; it never displaces one that has one.
        if (best?.SearcherMetric is not { } bestMetric
            ? best is null || best.StepsCompleted == report.StepsCompleted || metric is not null
            : (metric is { } m && sign * m < sign * bestMetric) || best.StepsCompleted == report.StepsCompleted)
            trial.BestValidationSteps = report.StepsCompleted;
    }

    /// <summary>Completes the trial's current op (§3.1): it must match, and only once; the op is marked before the searcher hears.</summary>
    public static void CompleteOperation(ExperimentSession session, int trialId, ulong length, double metric)
    {
        var trial = session.Trials.Single(t => t.Id == trialId);
        if (trial.OpLength is not { } current || trial.OpCompleted)
            throw new BadRequestException($"expected op none for trial {trialId} (no operation is open), got ValidateAfter({length})");
        if ((ulong)current != length)
            throw new BadRequestException($"expected op ValidateAfter({current}) for trial {trialId}, got ValidateAfter({length})");
        trial.OpCompleted = true;
        session.Feed(new ValidationCompleted(new RequestId(trial.RequestId), metric, new ValidateAfter(new RequestId(trial.RequestId), length)));
        session.CloseIfOpDone(trial);
    }

    public static void EarlyExit(ExperimentSession session, int trialId, EarlyExitReason reason)
    {
        var trial = session.Trials.Single(t => t.Id == trialId);
        if (trial.EarlyExitReason is not null)
            throw new BadRequestException($"trial {trialId} already reported an early exit ({trial.EarlyExitReason})");
        trial.EarlyExitReason = reason == EarlyExitReason.InvalidHp ? "EXITED_REASON_INVALID_HP" : "EXITED_REASON_USER_REQUESTED_STOP";
        session.Feed(new TrialExitedEarly(new RequestId(trial.RequestId),
            reason == EarlyExitReason.InvalidHp ? ExitedReason.InvalidHp : ExitedReason.UserRequestedStop));
        // §5.4: the task should exit by itself now; if it is still alive 10 s later, the master kills it.
        if (reason == EarlyExitReason.InvalidHp && session.LiveAllocation(trial) is { } allocation)
            session.KillLater(allocation, InvalidHpGracePeriod, DelayedKillReason.InvalidHp);
    }

    public static GetSearcherOperationResponse CurrentOperation(TrialEntity trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        var open = trial.OpLength is not null && !trial.OpCompleted && !States.IsTerminal(trial.State) && !States.IsStopping(trial.State);
        var op = trial.OpLength is { } length ? new Protocol.CoreApi.SearcherOperation(new ValidateAfterOperation((ulong)length)) : null;
        return new GetSearcherOperationResponse(op, Completed: !open);
    }
}

using Determinant.Protocol.CoreApi;

namespace Determinant.Master.CoreApi;

/// <summary>
/// One training report waiting for its batch's commit. Its task completes when the batch that holds it commits (true:
/// stored or replaced; false: an earlier or equal run already stored these steps), fails with that report's own error,
/// or is canceled when the caller gave up before its batch was written.
/// </summary>
internal sealed class PendingMetricReport(int trialId, int runId, string group, long stepsCompleted, DateTime reportTime, string metricsJson)
{
    private readonly TaskCompletionSource<bool> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int TrialId { get; } = trialId;

    public int RunId { get; } = runId;

    public string Group { get; } = group;

    public long StepsCompleted { get; } = stepsCompleted;

    public DateTime ReportTime { get; } = reportTime;

    public string MetricsJson { get; } = metricsJson;

    /// <summary>A training report as the queue stores it; the key and run rule are those of <see cref="TrialReports.RecordMetricsAsync"/>.</summary>
    /// <param name="trialId">The trial.</param>
    /// <param name="report">The report, checked by <see cref="MetricReportLimits.Check"/>.</param>
    /// <param name="metricsJson">Its metrics as that check serialized them.</param>
    public static PendingMetricReport Training(int trialId, TrialMetrics report, string metricsJson)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new PendingMetricReport(trialId, report.TrialRunId, MetricGroups.Training, (long)report.StepsCompleted, report.ReportTime.UtcDateTime, metricsJson);
    }

    public Task<bool> Completion => _completion.Task;

    /// <summary>Whether an answer was already given (a canceled caller's report is skipped by the writer).</summary>
    public bool IsDone => _completion.Task.IsCompleted;

    public void Stored(bool stored) => _completion.TrySetResult(stored);

    public void Failed(Exception exception) => _completion.TrySetException(exception);

    public void Canceled(CancellationToken cancellationToken) => _completion.TrySetCanceled(cancellationToken);
}

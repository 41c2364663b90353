using Determinant.Protocol.CoreApi;

namespace Determinant.Harness;

/// <summary>
/// Everything training code says to the master, one method per row of the Core API contract (REFERENCE.md §7.2,
/// docs/core-api.md). The harness talks to the master only through this interface.
/// </summary>
/// <remarks>
/// Implementations throw <see cref="CoreApiException"/> for an answer that is not a success and let transport errors
/// (<see cref="HttpRequestException"/>, timeouts) through; the harness retries the transient ones.
/// </remarks>
public interface ICoreApi
{
    /// <summary>Reports training metrics (<c>POST /api/v1/trials/{id}/metrics</c>, group <c>training</c>).</summary>
    Task ReportTrainingMetricsAsync(TrialMetrics metrics, CancellationToken cancellationToken);

    /// <summary>
    /// Reports several training reports of one trial in one call (<c>POST /api/v1/trials/{id}/metrics/batch</c>); the
    /// default sends them one by one through <see cref="ReportTrainingMetricsAsync"/>.
    /// </summary>
    /// <param name="trialId">The trial every report belongs to.</param>
    /// <param name="metrics">At most <see cref="ReportTrialMetricsBatchRequest.MaxReports"/> reports, in step order.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    async Task ReportTrainingMetricsBatchAsync(int trialId, IReadOnlyList<TrialMetrics> metrics, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        foreach (var report in metrics)
            await ReportTrainingMetricsAsync(report, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reports validation metrics (<c>POST /api/v1/trials/{id}/metrics</c>, group <c>validation</c>).</summary>
    Task ReportValidationMetricsAsync(TrialMetrics metrics, CancellationToken cancellationToken);

    /// <summary>Gets the trial's current searcher operation (<c>GET /api/v1/trials/{id}/searcher/operation</c>).</summary>
    Task<GetSearcherOperationResponse> GetSearcherOperationAsync(int trialId, CancellationToken cancellationToken);

    /// <summary>Completes a searcher operation with its searcher metric (<c>POST /api/v1/trials/{id}/searcher/completed_operation</c>).</summary>
    Task CompleteSearcherOperationAsync(int trialId, CompleteValidateAfterOperationRequest request, CancellationToken cancellationToken);

    /// <summary>Reports progress in searcher units (<c>POST /api/v1/trials/{id}/progress</c>).</summary>
    Task ReportProgressAsync(int trialId, ReportTrialProgressRequest request, CancellationToken cancellationToken);

    /// <summary>Reports that the trial stops on its own (<c>POST /api/v1/trials/{id}/early_exit</c>).</summary>
    Task ReportEarlyExitAsync(int trialId, ReportTrialEarlyExitRequest request, CancellationToken cancellationToken);

    /// <summary>Reports what the training code is doing (<c>POST /api/v1/trials/{id}/runner/metadata</c>).</summary>
    Task ReportRunnerStateAsync(int trialId, ReportRunnerStateRequest request, CancellationToken cancellationToken);

    /// <summary>Reports a written checkpoint (<c>POST /api/v1/checkpoints</c>).</summary>
    Task ReportCheckpointAsync(ReportCheckpointRequest request, CancellationToken cancellationToken);

    /// <summary>The best searcher metric of the experiment so far, or null when there is none (<c>GET /api/v1/experiments/{id}/searcher/best_searcher_validation_metric</c>).</summary>
    Task<double?> GetBestSearcherValidationMetricAsync(int experimentId, CancellationToken cancellationToken);

    /// <summary>Asks whether the allocation must stop, waiting up to <paramref name="timeout"/> for a change (<c>GET /api/v1/allocations/{id}/signals/preemption</c>).</summary>
    Task<PreemptionSignalResponse> GetPreemptionSignalAsync(string allocationId, TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>Acknowledges a stop signal or the end of operations, so the next clean exit counts as preempted (<c>POST /api/v1/allocations/{id}/signals/ack_preemption</c>).</summary>
    Task AckPreemptionAsync(string allocationId, CancellationToken cancellationToken);

    /// <summary>Ships a batch of log lines (<c>POST /api/v1/task/logs</c>).</summary>
    Task PostTaskLogsAsync(PostTaskLogsRequest request, CancellationToken cancellationToken);
}

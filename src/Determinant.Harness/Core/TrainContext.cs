using Determinant.Harness.Loop;
using Determinant.Protocol.CoreApi;

namespace Determinant.Harness;

/// <summary>Reports a script's training and validation metrics (<see cref="CoreContext.Train"/>).</summary>
/// <remarks>
/// Metrics go through the harness's background reporter: a report returns once it is queued, is sent in order with the
/// others, and is retried through transient failures; <see cref="CoreContext.FlushAsync"/> waits until all are sent.
/// Each report is also written to the trial's TensorBoard event files.
/// </remarks>
public sealed class TrainContext
{
    private readonly TrialSession _session;

    internal TrainContext(TrialSession session) => _session = session;

    /// <summary>Queues training metrics, averaged over the batches since the last report, at <paramref name="stepsCompleted"/> batches.</summary>
    /// <param name="stepsCompleted">Batches trained so far; the x axis of the learning curve.</param>
    /// <param name="metrics">Metric name to value; a non-finite value is sent as a string (docs/core-api.md).</param>
    /// <param name="cancellationToken">Checked before queueing.</param>
    /// <returns>A task that is complete once the report is queued.</returns>
    public Task ReportTrainingMetricsAsync(ulong stepsCompleted, IReadOnlyDictionary<string, double> metrics, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        cancellationToken.ThrowIfCancellationRequested();
        _session.ReportTraining(stepsCompleted, metrics, batches: null);
        return Task.CompletedTask;
    }

    /// <summary>Queues validation metrics at <paramref name="stepsCompleted"/> batches.</summary>
    /// <param name="stepsCompleted">Batches trained so far.</param>
    /// <param name="metrics">Metric name to value; must hold the experiment's <c>searcher.metric</c> for the master to accept it.</param>
    /// <param name="cancellationToken">Checked before queueing.</param>
    /// <returns>A task that is complete once the report is queued.</returns>
    public Task ReportValidationMetricsAsync(ulong stepsCompleted, IReadOnlyDictionary<string, double> metrics, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        cancellationToken.ThrowIfCancellationRequested();
        _session.ReportValidation(stepsCompleted, metrics);
        return Task.CompletedTask;
    }

    /// <summary>Reports that the trial stops on its own, such as <see cref="EarlyExitReason.InvalidHp"/>; then exit with code 0.</summary>
    /// <remarks>Waits for queued reports first and retries through transient failures.</remarks>
    public Task ReportEarlyExitAsync(EarlyExitReason reason, CancellationToken cancellationToken = default) =>
        _session.ReportEarlyExitAsync(reason, cancellationToken);
}

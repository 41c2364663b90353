using System.Net;
using Determinant.Harness.Checkpoints;
using Determinant.Harness.Distributed;
using Determinant.Harness.Hosting;
using Determinant.Harness.Reporting;
using Determinant.Harness.TensorBoard;
using Determinant.Protocol.CoreApi;

namespace Determinant.Harness.Loop;

/// <summary>
/// The loop's side of the master. Metrics, progress and runner state are queued on the background reporter and never
/// block training; calls whose answer the loop needs, or whose order matters (completing an operation, reporting a
/// checkpoint, acknowledging a stop), first flush the queue and then retry through transient failures. Training and
/// validation metrics also go to the TensorBoard event files when there is a writer.
/// </summary>
/// <remarks>
/// In a distributed trial (<see cref="Group"/>) only the chief talks to the master: it reports, and what the loop needs to
/// decide (the operation, the stop signal, the best metric) it asks and broadcasts, so that every worker takes the same
/// path through the loop. The other workers report nothing.
/// </remarks>
internal sealed class TrialSession(
    ICoreApi api, BackgroundReporter reporter, RetryPolicy retry, HarnessLog log, TimeProvider time, TrialIdentity identity, TensorBoardWriter? tensorBoard = null)
{
    private readonly HashSet<string> _warnedNonFinite = new(StringComparer.Ordinal);

    /// <summary>The least time between two "training:" log lines (every report still goes to the master).</summary>
    public static readonly TimeSpan TrainingLogInterval = TimeSpan.FromSeconds(10);

    private DateTimeOffset? _lastTrainingLog;

    public TrialIdentity Identity => identity;

    /// <summary>The other workers of a distributed trial; null for a single worker.</summary>
    public WorkerGroup? Group { get; set; }

    private bool Reports => Group is null || Group.IsChief;

    public HarnessLog Log => log;

    public TimeProvider Time => time;

    public async Task<ValidateAfterOperation?> NextOperationAsync(CancellationToken cancellationToken)
    {
        ValidateAfterOperation? op = null;
        if (Reports)
        {
            var response = await retry.RunAsync(ct => api.GetSearcherOperationAsync(identity.TrialId, ct), "get searcher operation", cancellationToken);
            op = response.Completed ? null : response.Op?.ValidateAfter;
        }

        if (Group is null)
            return op;
        return Group.Agree(op?.Length) is { } length ? op ?? new ValidateAfterOperation(length) : null;
    }

    public void ReportTraining(ulong steps, IReadOnlyList<IReadOnlyDictionary<string, double>> batches) =>
        ReportTraining(steps, MetricValues.Average(batches), batches);

    /// <summary>Reports averaged training metrics, with the per-batch metrics when there are any.</summary>
    public void ReportTraining(ulong steps, IReadOnlyDictionary<string, double> average, IReadOnlyList<IReadOnlyDictionary<string, double>>? batches)
    {
        if (!Reports)
            return;
        WarnNonFinite(average, steps);
        // A live trial shows in its logs: the first report, then at most one line per TrainingLogInterval.
        if (_lastTrainingLog is not { } last || time.GetUtcNow() - last >= TrainingLogInterval)
        {
            _lastTrainingLog = time.GetUtcNow();
            log.Info($"training: {steps} steps, {MetricValues.Describe(average)}");
        }
        tensorBoard?.WriteScalars(steps, average, validation: false);
        var body = new TrialMetricsBody(MetricValues.ToJson(average), batches is null ? null : [.. batches.Select(MetricValues.ToJson)]);
        var metrics = new TrialMetrics(identity.TrialId, identity.TrialRunId, steps, time.GetUtcNow(), body);
        reporter.Enqueue(new PendingReport(PendingReportKind.Every, $"training metrics at {steps} steps",
            (a, ct) => a.ReportTrainingMetricsAsync(metrics, ct), Training: metrics));
    }

    public void ReportValidation(ulong steps, IReadOnlyDictionary<string, double> values)
    {
        if (!Reports)
            return;
        WarnNonFinite(values, steps);
        log.Info($"validation: {steps} steps, {MetricValues.Describe(values)}");
        tensorBoard?.WriteScalars(steps, values, validation: true);
        var metrics = new TrialMetrics(identity.TrialId, identity.TrialRunId, steps, time.GetUtcNow(), new TrialMetricsBody(MetricValues.ToJson(values)));
        reporter.Enqueue(new PendingReport(PendingReportKind.Every, $"validation metrics at {steps} steps", (a, ct) => a.ReportValidationMetricsAsync(metrics, ct)));
    }

    public void ReportProgress(double progress)
    {
        if (Reports)
        {
            reporter.Enqueue(new PendingReport(PendingReportKind.Latest, "progress",
            (a, ct) => a.ReportProgressAsync(identity.TrialId, new ReportTrialProgressRequest(progress), ct)));
        }
    }

    public void ReportRunnerState(RunnerState state)
    {
        if (Reports)
        {
            reporter.Enqueue(new PendingReport(PendingReportKind.Every, $"runner state {state}",
                (a, ct) => a.ReportRunnerStateAsync(identity.TrialId, new ReportRunnerStateRequest(state), ct)));
        }
    }

    /// <summary>Waits until every queued report has been sent or dropped.</summary>
    public Task FlushAsync(CancellationToken cancellationToken) => reporter.FlushAsync(cancellationToken);

    public async Task<double?> BestSearcherMetricAsync(CancellationToken cancellationToken)
    {
        var best = Reports
            ? await retry.RunAsync(ct => api.GetBestSearcherValidationMetricAsync(identity.ExperimentId, ct), "get best searcher metric", cancellationToken)
            : null;
        return Group is null ? best : Group.Agree(best);
    }

    public async Task CompleteOperationAsync(ValidateAfterOperation op, double searcherMetric, CancellationToken cancellationToken)
    {
        if (!Reports)
            return;
        await reporter.FlushAsync(cancellationToken);
        var request = new CompleteValidateAfterOperationRequest(op, searcherMetric);
        var retried = false;
        await retry.RunAsync(async ct =>
        {
            try
            {
                await api.CompleteSearcherOperationAsync(identity.TrialId, request, ct);
            }
            catch (CoreApiException e) when (e.StatusCode == HttpStatusCode.BadRequest && retried)
            {
                // The master refuses a second completion of one op (REFERENCE.md §3.1). After a failed attempt that refusal
                // may mean the first attempt landed (the master died before it answered): then the op is no longer open.
                if (!await CompletionLandedAsync(op, ct))
                    throw;
            }
            finally
            {
                retried = true;
            }
        }, "complete searcher operation", cancellationToken);
    }

    private async Task<bool> CompletionLandedAsync(ValidateAfterOperation op, CancellationToken cancellationToken)
    {
        var current = await api.GetSearcherOperationAsync(identity.TrialId, cancellationToken);
        return current.Completed || current.Op?.ValidateAfter?.Length != op.Length;
    }

    public async Task ReportCheckpointAsync(WrittenCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        if (!Reports)
            return;
        await reporter.FlushAsync(cancellationToken);
        var request = new ReportCheckpointRequest(identity.TaskId, identity.AllocationId, checkpoint.Uuid, time.GetUtcNow(),
            checkpoint.Resources, checkpoint.Metadata, CheckpointStates.Completed);
        await retry.RunAsync(ct => api.ReportCheckpointAsync(request, ct), $"report checkpoint {checkpoint.Uuid}", cancellationToken);
    }

    /// <summary>Asks, without waiting, whether the trial must stop; a failed request counts as "no" and is asked again next time.</summary>
    /// <remarks>In a distributed trial the chief asks and every worker gets its answer, so all stop after the same batch.</remarks>
    public async Task<bool> ShouldStopAsync(CancellationToken cancellationToken)
    {
        var stop = false;
        if (Reports)
        {
            try
            {
                stop = (await api.GetPreemptionSignalAsync(identity.AllocationId, TimeSpan.Zero, cancellationToken)).Preempt;
            }
            catch (Exception ex) when (RetryPolicy.IsTransient(ex, cancellationToken))
            {
                log.Warning($"could not check the stop signal: {ex.Message}");
            }
        }

        return Group is null ? stop : Group.Agree(stop);
    }

    public async Task AckStopAsync(CancellationToken cancellationToken)
    {
        if (!Reports)
            return;
        await reporter.FlushAsync(cancellationToken);
        await retry.RunAsync(ct => api.AckPreemptionAsync(identity.AllocationId, ct), "acknowledge stop", cancellationToken);
    }

    public async Task ReportEarlyExitAsync(EarlyExitReason reason, CancellationToken cancellationToken)
    {
        if (!Reports)
            return;
        await reporter.FlushAsync(cancellationToken);
        await retry.RunAsync(ct => api.ReportEarlyExitAsync(identity.TrialId, new ReportTrialEarlyExitRequest(reason), ct), "report early exit", cancellationToken);
    }

    private void WarnNonFinite(IReadOnlyDictionary<string, double> metrics, ulong steps)
    {
        foreach (var key in MetricValues.NonFiniteKeys(metrics).Where(_warnedNonFinite.Add))
            log.Warning($"metric '{key}' is {metrics[key]} at {steps} steps; it is reported as the string \"{metrics[key]}\" (JSON has no NaN or Infinity)");
    }
}

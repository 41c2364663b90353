using Determinant.Harness.Tests.Support;
using Determinant.Protocol.CoreApi;

namespace Determinant.Harness.Tests.Fakes;

/// <summary>A master that is down until <see cref="DownUntil"/> on the test clock, and records what reaches it and when.</summary>
internal sealed class FlakyCoreApi(ManualTimeProvider time) : ICoreApi
{
    private readonly Lock _gate = new();

    public DateTimeOffset DownUntil { get; set; } = DateTimeOffset.MinValue;

    /// <summary>When set, the first training report waits for it, so the test can queue more behind it.</summary>
    public TaskCompletionSource? HoldFirstReport { get; set; }

    public bool FirstReportStarted { get; private set; }

    public List<(string Call, DateTimeOffset At)> Delivered { get; } = [];

    public List<DateTimeOffset> Failures { get; } = [];

    public int DeliveredCount
    {
        get
        {
            lock (_gate)
                return Delivered.Count;
        }
    }

    public async Task ReportTrainingMetricsAsync(TrialMetrics metrics, CancellationToken cancellationToken)
    {
        if (HoldFirstReport is { } hold && !FirstReportStarted)
        {
            FirstReportStarted = true;
            await hold.Task;
        }

        await Deliver($"training {metrics.StepsCompleted}");
    }

    public Task ReportTrainingMetricsBatchAsync(int trialId, IReadOnlyList<TrialMetrics> metrics, CancellationToken cancellationToken) =>
        Deliver($"training batch {string.Join(",", metrics.Select(m => m.StepsCompleted))}");

    public Task ReportValidationMetricsAsync(TrialMetrics metrics, CancellationToken cancellationToken) => Deliver($"validation {metrics.StepsCompleted}");

    public Task ReportProgressAsync(int trialId, ReportTrialProgressRequest request, CancellationToken cancellationToken) => Deliver($"progress {request.Progress}");

    public Task PostTaskLogsAsync(PostTaskLogsRequest request, CancellationToken cancellationToken) => Deliver($"logs {string.Join("", request.Logs.Select(l => l.Log))}");

    public Task ReportRunnerStateAsync(int trialId, ReportRunnerStateRequest request, CancellationToken cancellationToken) => Deliver($"state {request.State}");

    public Task<GetSearcherOperationResponse> GetSearcherOperationAsync(int trialId, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task CompleteSearcherOperationAsync(int trialId, CompleteValidateAfterOperationRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task ReportEarlyExitAsync(int trialId, ReportTrialEarlyExitRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task ReportCheckpointAsync(ReportCheckpointRequest request, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<double?> GetBestSearcherValidationMetricAsync(int experimentId, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<PreemptionSignalResponse> GetPreemptionSignalAsync(string allocationId, TimeSpan timeout, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task AckPreemptionAsync(string allocationId, CancellationToken cancellationToken) => throw new NotSupportedException();

    private Task Deliver(string call)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            if (now < DownUntil)
            {
                Failures.Add(now);
                throw new HttpRequestException("connection refused (the master is down)");
            }

            Delivered.Add((call, now));
        }

        return Task.CompletedTask;
    }
}

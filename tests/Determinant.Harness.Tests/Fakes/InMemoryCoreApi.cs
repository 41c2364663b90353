using Determinant.Protocol.CoreApi;

namespace Determinant.Harness.Tests.Fakes;

/// <summary>
/// The master for loop tests: plays the searcher (a fixed list of ValidateAfter lengths, handed out until completed),
/// raises the stop signal on a chosen poll, and records every call in order.
/// </summary>
internal sealed class InMemoryCoreApi(params ulong[] operationLengths) : ICoreApi
{
    private readonly Lock _gate = new();
    private int _nextOperation;
    private int _polls;

    /// <summary>The 1-based preemption poll that answers true (the loop polls once per scheduling unit); null for never.</summary>
    public int? PreemptOnPoll { get; set; }

    /// <summary>What the best-metric route answers; null is its 404.</summary>
    public double? BestMetric { get; set; }

    public List<string> Calls { get; } = [];
    public List<TrialMetrics> Training { get; } = [];
    public List<TrialMetrics> Validation { get; } = [];
    public List<CompleteValidateAfterOperationRequest> CompletedOperations { get; } = [];
    public List<double> Progress { get; } = [];
    public List<RunnerState> RunnerStates { get; } = [];
    public List<ReportCheckpointRequest> Checkpoints { get; } = [];
    public List<EarlyExitReason> EarlyExits { get; } = [];
    public List<TaskLog> Logs { get; } = [];
    public int Acks { get; private set; }

    public Task ReportTrainingMetricsAsync(TrialMetrics metrics, CancellationToken cancellationToken) =>
        Record($"training {metrics.StepsCompleted}", () => Training.Add(metrics));

    public Task ReportValidationMetricsAsync(TrialMetrics metrics, CancellationToken cancellationToken) =>
        Record($"validation {metrics.StepsCompleted}", () => Validation.Add(metrics));

    public Task<GetSearcherOperationResponse> GetSearcherOperationAsync(int trialId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            Calls.Add("get operation");
            return Task.FromResult(_nextOperation < operationLengths.Length
                ? new GetSearcherOperationResponse(new SearcherOperation(new ValidateAfterOperation(operationLengths[_nextOperation])), false)
                : new GetSearcherOperationResponse(null, true));
        }
    }

    public Task CompleteSearcherOperationAsync(int trialId, CompleteValidateAfterOperationRequest request, CancellationToken cancellationToken) =>
        Record($"complete {request.Op.Length}", () =>
        {
            Assert.Equal(operationLengths[_nextOperation], request.Op.Length);
            CompletedOperations.Add(request);
            _nextOperation++;
        });

    public Task ReportProgressAsync(int trialId, ReportTrialProgressRequest request, CancellationToken cancellationToken) =>
        Record("progress", () => Progress.Add(request.Progress));

    public Task ReportEarlyExitAsync(int trialId, ReportTrialEarlyExitRequest request, CancellationToken cancellationToken) =>
        Record($"early exit {request.Reason}", () => EarlyExits.Add(request.Reason));

    public Task ReportRunnerStateAsync(int trialId, ReportRunnerStateRequest request, CancellationToken cancellationToken) =>
        Record("runner state", () => RunnerStates.Add(request.State));

    public Task ReportCheckpointAsync(ReportCheckpointRequest request, CancellationToken cancellationToken) =>
        Record($"checkpoint {request.Metadata["steps_completed"]}", () => Checkpoints.Add(request));

    public Task<double?> GetBestSearcherValidationMetricAsync(int experimentId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            Calls.Add("get best metric");
            return Task.FromResult(BestMetric);
        }
    }

    public Task<PreemptionSignalResponse> GetPreemptionSignalAsync(string allocationId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _polls++;
            var preempt = PreemptOnPoll is { } poll && _polls >= poll;
            Calls.Add($"poll {preempt}");
            return Task.FromResult(new PreemptionSignalResponse(preempt));
        }
    }

    public Task AckPreemptionAsync(string allocationId, CancellationToken cancellationToken) => Record("ack", () => Acks++);

    public Task PostTaskLogsAsync(PostTaskLogsRequest request, CancellationToken cancellationToken) => Record("logs", () => Logs.AddRange(request.Logs));

    public List<string> CallsSnapshot()
    {
        lock (_gate)
            return [.. Calls];
    }

    private Task Record(string call, Action action)
    {
        lock (_gate)
        {
            Calls.Add(call);
            action();
        }

        return Task.CompletedTask;
    }
}

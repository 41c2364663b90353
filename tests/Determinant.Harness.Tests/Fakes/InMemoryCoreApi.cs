using System.Net;
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

    /// <summary>How many successful completions lose their answer (stored, then a 503), as when the master dies mid-reply.</summary>
    public int CompletionAnswersToLose { get; set; }

    /// <summary>Refuse every completion with a 400.</summary>
    public bool RefuseCompletions { get; set; }

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
            // Like the master (REFERENCE.md §3.1): completing an op that is not the open one is a 400.
            if (RefuseCompletions || _nextOperation >= operationLengths.Length || operationLengths[_nextOperation] != request.Op.Length)
                throw new CoreApiException(HttpStatusCode.BadRequest, $"expected op for trial {trialId}, got ValidateAfter({request.Op.Length})");
            CompletedOperations.Add(request);
            _nextOperation++;
            if (CompletionAnswersToLose > 0)
            {
                // The completion is stored, but the answer never reaches the trial (the master died before replying).
                CompletionAnswersToLose--;
                throw new CoreApiException(HttpStatusCode.ServiceUnavailable, "the master went away before answering");
            }
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

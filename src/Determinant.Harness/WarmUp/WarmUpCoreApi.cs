using System.Text.Json;
using Determinant.Protocol.CoreApi;

namespace Determinant.Harness.WarmUp;

/// <summary>
/// The master as a standby's warm-up trial sees it: one ValidateAfter operation, no preemption, and every request
/// serialized as <see cref="HttpCoreApi"/> would send it (so the JSON code is compiled too) and then dropped.
/// </summary>
internal sealed class WarmUpCoreApi(ulong length) : ICoreApi
{
    private static readonly CoreApiJsonContext Json = CoreApiJsonContext.Default;
    private int _completed;

    public Task ReportTrainingMetricsAsync(TrialMetrics metrics, CancellationToken cancellationToken) =>
        Sent(JsonSerializer.Serialize(new ReportTrialMetricsRequest(metrics, MetricGroups.Training), Json.ReportTrialMetricsRequest));

    public Task ReportTrainingMetricsBatchAsync(int trialId, IReadOnlyList<TrialMetrics> metrics, CancellationToken cancellationToken) =>
        Sent(JsonSerializer.Serialize(new ReportTrialMetricsBatchRequest(metrics, MetricGroups.Training), Json.ReportTrialMetricsBatchRequest));

    public Task ReportValidationMetricsAsync(TrialMetrics metrics, CancellationToken cancellationToken) =>
        Sent(JsonSerializer.Serialize(new ReportTrialMetricsRequest(metrics, MetricGroups.Validation), Json.ReportTrialMetricsRequest));

    public Task<GetSearcherOperationResponse> GetSearcherOperationAsync(int trialId, CancellationToken cancellationToken)
    {
        var response = Volatile.Read(ref _completed) == 0
            ? new GetSearcherOperationResponse(new SearcherOperation(new ValidateAfterOperation(length)), false)
            : new GetSearcherOperationResponse(null, true);
        return Task.FromResult(JsonSerializer.Deserialize(JsonSerializer.Serialize(response, Json.GetSearcherOperationResponse), Json.GetSearcherOperationResponse)!);
    }

    public Task CompleteSearcherOperationAsync(int trialId, CompleteValidateAfterOperationRequest request, CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref _completed, 1);
        return Sent(JsonSerializer.Serialize(request, Json.CompleteValidateAfterOperationRequest));
    }

    public Task ReportProgressAsync(int trialId, ReportTrialProgressRequest request, CancellationToken cancellationToken) =>
        Sent(JsonSerializer.Serialize(request, Json.ReportTrialProgressRequest));

    public Task ReportEarlyExitAsync(int trialId, ReportTrialEarlyExitRequest request, CancellationToken cancellationToken) =>
        Sent(JsonSerializer.Serialize(request, Json.ReportTrialEarlyExitRequest));

    public Task ReportRunnerStateAsync(int trialId, ReportRunnerStateRequest request, CancellationToken cancellationToken) =>
        Sent(JsonSerializer.Serialize(request, Json.ReportRunnerStateRequest));

    public Task ReportCheckpointAsync(ReportCheckpointRequest request, CancellationToken cancellationToken) =>
        Sent(JsonSerializer.Serialize(request, Json.ReportCheckpointRequest));

    public Task<double?> GetBestSearcherValidationMetricAsync(int experimentId, CancellationToken cancellationToken) =>
        Task.FromResult<double?>(null);

    public Task<PreemptionSignalResponse> GetPreemptionSignalAsync(string allocationId, TimeSpan timeout, CancellationToken cancellationToken) =>
        Task.FromResult(new PreemptionSignalResponse(false));

    public Task AckPreemptionAsync(string allocationId, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task PostTaskLogsAsync(PostTaskLogsRequest request, CancellationToken cancellationToken) =>
        Sent(JsonSerializer.Serialize(request, Json.PostTaskLogsRequest));

    // The body was only made to compile the serializer; nothing is sent.
    private static Task Sent(string body)
    {
        GC.KeepAlive(body);
        return Task.CompletedTask;
    }
}

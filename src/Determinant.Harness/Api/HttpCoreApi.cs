using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Serialization.Metadata;
using Determinant.Protocol.CoreApi;

namespace Determinant.Harness;

/// <summary>The Core API over HTTP: the routes of REFERENCE.md §7.2 with the allocation token in <c>x-allocation-token</c>.</summary>
/// <remarks>
/// Each call throws <see cref="CoreApiException"/> for an answer that is not a success (except 404 from the best-metric
/// route, which means "none yet") and lets <see cref="HttpRequestException"/> and timeouts through.
/// </remarks>
public sealed class HttpCoreApi : ICoreApi
{
    /// <summary>The header that carries the allocation token.</summary>
    public const string AllocationTokenHeader = "x-allocation-token";

    private static readonly CoreApiJsonContext Json = CoreApiJsonContext.Default;
    private readonly HttpClient _http;

    /// <summary>Uses <paramref name="http"/>, whose <see cref="HttpClient.BaseAddress"/> must be the master's URL.</summary>
    /// <param name="http">The client; not disposed by this object.</param>
    /// <param name="allocationToken">The allocation's session token (<c>DET_SESSION_TOKEN</c>); null sends none.</param>
    /// <exception cref="ArgumentException">The client has no base address.</exception>
    public HttpCoreApi(HttpClient http, string? allocationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (http.BaseAddress is null)
            throw new ArgumentException("the HttpClient needs a BaseAddress (the master's URL, DET_MASTER)", nameof(http));
        _http = http;
        if (!string.IsNullOrEmpty(allocationToken))
            _http.DefaultRequestHeaders.Add(AllocationTokenHeader, allocationToken);
    }

    /// <inheritdoc/>
    public Task ReportTrainingMetricsAsync(TrialMetrics metrics, CancellationToken cancellationToken) =>
        PostAsync(TrialRoute(metrics, "metrics"), new ReportTrialMetricsRequest(metrics, MetricGroups.Training), Json.ReportTrialMetricsRequest, cancellationToken);

    /// <inheritdoc/>
    public Task ReportTrainingMetricsBatchAsync(int trialId, IReadOnlyList<TrialMetrics> metrics, CancellationToken cancellationToken) =>
        PostAsync($"api/v1/trials/{trialId}/metrics/batch", new ReportTrialMetricsBatchRequest(metrics, MetricGroups.Training),
            Json.ReportTrialMetricsBatchRequest, cancellationToken);

    /// <inheritdoc/>
    public Task ReportValidationMetricsAsync(TrialMetrics metrics, CancellationToken cancellationToken) =>
        PostAsync(TrialRoute(metrics, "metrics"), new ReportTrialMetricsRequest(metrics, MetricGroups.Validation), Json.ReportTrialMetricsRequest, cancellationToken);

    /// <inheritdoc/>
    public Task<GetSearcherOperationResponse> GetSearcherOperationAsync(int trialId, CancellationToken cancellationToken) =>
        GetAsync($"api/v1/trials/{trialId}/searcher/operation", Json.GetSearcherOperationResponse, cancellationToken);

    /// <inheritdoc/>
    public Task CompleteSearcherOperationAsync(int trialId, CompleteValidateAfterOperationRequest request, CancellationToken cancellationToken) =>
        PostAsync($"api/v1/trials/{trialId}/searcher/completed_operation", request, Json.CompleteValidateAfterOperationRequest, cancellationToken);

    /// <inheritdoc/>
    public Task ReportProgressAsync(int trialId, ReportTrialProgressRequest request, CancellationToken cancellationToken) =>
        PostAsync($"api/v1/trials/{trialId}/progress", request, Json.ReportTrialProgressRequest, cancellationToken);

    /// <inheritdoc/>
    public Task ReportEarlyExitAsync(int trialId, ReportTrialEarlyExitRequest request, CancellationToken cancellationToken) =>
        PostAsync($"api/v1/trials/{trialId}/early_exit", request, Json.ReportTrialEarlyExitRequest, cancellationToken);

    /// <inheritdoc/>
    public Task ReportRunnerStateAsync(int trialId, ReportRunnerStateRequest request, CancellationToken cancellationToken) =>
        PostAsync($"api/v1/trials/{trialId}/runner/metadata", request, Json.ReportRunnerStateRequest, cancellationToken);

    /// <inheritdoc/>
    public Task ReportCheckpointAsync(ReportCheckpointRequest request, CancellationToken cancellationToken) =>
        PostAsync("api/v1/checkpoints", request, Json.ReportCheckpointRequest, cancellationToken);

    /// <inheritdoc/>
    public async Task<double?> GetBestSearcherValidationMetricAsync(int experimentId, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(new Uri($"api/v1/experiments/{experimentId}/searcher/best_searcher_validation_metric", UriKind.Relative), cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
            return null;
        await EnsureSuccessAsync(response, cancellationToken);
        var body = await response.Content.ReadFromJsonAsync(Json.BestSearcherValidationMetricResponse, cancellationToken);
        return body?.Metric;
    }

    /// <inheritdoc/>
    public async Task<PreemptionSignalResponse> GetPreemptionSignalAsync(string allocationId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        // The client waits 10 s longer than the server-side long poll, so a slow answer is not cut off (REFERENCE.md §7.2).
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        linked.CancelAfter(timeout + TimeSpan.FromSeconds(10));
        var seconds = ((long)timeout.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        return await GetAsync($"api/v1/allocations/{Uri.EscapeDataString(allocationId)}/signals/preemption?timeout_seconds={seconds}", Json.PreemptionSignalResponse, linked.Token);
    }

    /// <inheritdoc/>
    public async Task AckPreemptionAsync(string allocationId, CancellationToken cancellationToken)
    {
        using var content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
        using var response = await _http.PostAsync(new Uri($"api/v1/allocations/{Uri.EscapeDataString(allocationId)}/signals/ack_preemption", UriKind.Relative), content, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
    }

    /// <inheritdoc/>
    public Task PostTaskLogsAsync(PostTaskLogsRequest request, CancellationToken cancellationToken) =>
        PostAsync("api/v1/task/logs", request, Json.PostTaskLogsRequest, cancellationToken);

    private static string TrialRoute(TrialMetrics metrics, string leaf) => $"api/v1/trials/{metrics.TrialId}/{leaf}";

    private async Task PostAsync<T>(string route, T body, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        using var content = JsonContent.Create(body, typeInfo);
        using var response = await _http.PostAsync(new Uri(route, UriKind.Relative), content, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
    }

    private async Task<T> GetAsync<T>(string route, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(new Uri(route, UriKind.Relative), cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync(typeInfo, cancellationToken)
            ?? throw new CoreApiException(response.StatusCode, $"the master answered {route} with an empty body");
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
            return;
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var route = response.RequestMessage?.RequestUri?.AbsolutePath ?? "?";
        throw new CoreApiException(response.StatusCode, $"{response.RequestMessage?.Method} {route} answered {(int)response.StatusCode} {response.StatusCode}: {text}");
    }
}

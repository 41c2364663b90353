using System.Net;
using System.Text.Json.Nodes;
using Determinant.Protocol.CoreApi;

namespace Determinant.Harness.Tests.Api;

/// <summary>HttpCoreApi sends the routes and bodies of REFERENCE.md §7.2 with the allocation token.</summary>
public sealed class HttpCoreApiTests : IDisposable
{
    private readonly RecordingHandler _handler = new();
    private readonly HttpClient _http;
    private readonly HttpCoreApi _api;

    public HttpCoreApiTests()
    {
        _http = new HttpClient(_handler) { BaseAddress = new Uri("http://master:8080/") };
        _api = new HttpCoreApi(_http, "token-123");
    }

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task ReportTrainingMetrics_PostsMetricsWithGroupAndToken()
    {
        var metrics = new TrialMetrics(7, 2, 100, new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), new TrialMetricsBody(new JsonObject { ["loss"] = 0.5 }));

        await _api.ReportTrainingMetricsAsync(metrics, CancellationToken.None);

        var request = Assert.Single(_handler.Requests);
        Assert.Equal("POST http://master:8080/api/v1/trials/7/metrics", request.Line);
        Assert.Equal("token-123", request.Token);
        var body = JsonNode.Parse(request.Body)!;
        Assert.Equal("training", body["group"]!.GetValue<string>());
        Assert.Equal("100", body["metrics"]!["stepsCompleted"]!.GetValue<string>());
        Assert.Equal(0.5, body["metrics"]!["metrics"]!["avgMetrics"]!["loss"]!.GetValue<double>());
    }

    [Fact]
    public async Task ReportValidationMetrics_UsesValidationGroup()
    {
        await _api.ReportValidationMetricsAsync(new TrialMetrics(7, 1, 5, DateTimeOffset.UnixEpoch, new TrialMetricsBody([])), CancellationToken.None);

        Assert.Equal("validation", JsonNode.Parse(_handler.Requests[0].Body)!["group"]!.GetValue<string>());
    }

    [Fact]
    public async Task GetSearcherOperation_ReadsStringLength()
    {
        _handler.Respond("""{"op":{"validateAfter":{"length":"1250"}},"completed":false}""");

        var response = await _api.GetSearcherOperationAsync(7, CancellationToken.None);

        Assert.Equal("GET http://master:8080/api/v1/trials/7/searcher/operation", _handler.Requests[0].Line);
        Assert.Equal(1250UL, response.Op!.ValidateAfter!.Length);
    }

    [Fact]
    public async Task Calls_UseTheirRoutes()
    {
        await _api.CompleteSearcherOperationAsync(7, new CompleteValidateAfterOperationRequest(new ValidateAfterOperation(10), 0.9), CancellationToken.None);
        await _api.ReportProgressAsync(7, new ReportTrialProgressRequest(10), CancellationToken.None);
        await _api.ReportEarlyExitAsync(7, new ReportTrialEarlyExitRequest(EarlyExitReason.InvalidHp), CancellationToken.None);
        await _api.ReportRunnerStateAsync(7, new ReportRunnerStateRequest(RunnerState.Validating), CancellationToken.None);
        await _api.ReportCheckpointAsync(new ReportCheckpointRequest("t", "a", "u", DateTimeOffset.UnixEpoch, new Dictionary<string, long>(), [], CheckpointStates.Completed), CancellationToken.None);
        await _api.AckPreemptionAsync("3.x.1", CancellationToken.None);
        await _api.PostTaskLogsAsync(new PostTaskLogsRequest([]), CancellationToken.None);

        Assert.Equal(
            [
                "POST http://master:8080/api/v1/trials/7/searcher/completed_operation",
                "POST http://master:8080/api/v1/trials/7/progress",
                "POST http://master:8080/api/v1/trials/7/early_exit",
                "POST http://master:8080/api/v1/trials/7/runner/metadata",
                "POST http://master:8080/api/v1/checkpoints",
                "POST http://master:8080/api/v1/allocations/3.x.1/signals/ack_preemption",
                "POST http://master:8080/api/v1/task/logs",
            ],
            _handler.Requests.Select(r => r.Line));
        Assert.Equal("""{"op":{"length":"10"},"searcherMetric":0.9}""", _handler.Requests[0].Body);
        Assert.Equal("""{"reason":"EXITED_REASON_INVALID_HP"}""", _handler.Requests[2].Body);
        Assert.Equal("""{"state":"validating"}""", _handler.Requests[3].Body);
    }

    [Fact]
    public async Task GetPreemptionSignal_SendsTimeoutSeconds()
    {
        _handler.Respond("""{"preempt":true}""");

        var signal = await _api.GetPreemptionSignalAsync("3.x.1", TimeSpan.FromSeconds(60), CancellationToken.None);

        Assert.True(signal.Preempt);
        Assert.Equal("GET http://master:8080/api/v1/allocations/3.x.1/signals/preemption?timeout_seconds=60", _handler.Requests[0].Line);
    }

    [Fact]
    public async Task GetBestMetric_ReturnsNull_WhenMasterAnswers404()
    {
        _handler.Respond("{}", HttpStatusCode.NotFound);

        Assert.Null(await _api.GetBestSearcherValidationMetricAsync(3, CancellationToken.None));
        Assert.Equal("GET http://master:8080/api/v1/experiments/3/searcher/best_searcher_validation_metric", _handler.Requests[0].Line);
    }

    [Fact]
    public async Task GetBestMetric_ReadsMetric_WhenThereIsOne()
    {
        _handler.Respond("""{"metric":0.25}""");

        Assert.Equal(0.25, await _api.GetBestSearcherValidationMetricAsync(3, CancellationToken.None));
    }

    [Theory]
    [InlineData(HttpStatusCode.ServiceUnavailable, true)]
    [InlineData(HttpStatusCode.TooManyRequests, true)]
    [InlineData(HttpStatusCode.BadRequest, false)]
    public async Task Calls_ThrowCoreApiExceptionWithStatus_WhenMasterFails(HttpStatusCode status, bool transient)
    {
        _handler.Respond("""{"title":"nope"}""", status);

        var error = await Assert.ThrowsAsync<CoreApiException>(() => _api.ReportProgressAsync(7, new ReportTrialProgressRequest(1), CancellationToken.None));

        Assert.Equal(status, error.StatusCode);
        Assert.Equal(transient, error.IsTransient);
        Assert.Contains("/api/v1/trials/7/progress", error.Message, StringComparison.Ordinal);
        Assert.Contains("nope", error.Message, StringComparison.Ordinal);
    }

    private sealed record Recorded(string Line, string? Token, string Body);

    private sealed class RecordingHandler : HttpMessageHandler
    {
        private readonly Queue<(string Body, HttpStatusCode Status)> _responses = new();

        public List<Recorded> Requests { get; } = [];

        public void Respond(string body, HttpStatusCode status = HttpStatusCode.OK) => _responses.Enqueue((body, status));

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
            var token = request.Headers.TryGetValues(HttpCoreApi.AllocationTokenHeader, out var values) ? values.Single() : null;
            Requests.Add(new Recorded($"{request.Method} {request.RequestUri}", token, body));
            var (text, status) = _responses.Count > 0 ? _responses.Dequeue() : ("{}", HttpStatusCode.OK);
            return new HttpResponseMessage(status) { Content = new StringContent(text), RequestMessage = request };
        }
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using Determinant.Protocol.CoreApi;

namespace Determinant.Protocol.Tests.CoreApi;

/// <summary>The trial-facing wire records serialize with Determined's field names and read back to the same JSON.</summary>
public sealed class CoreApiJsonTests
{
    private static readonly DateTimeOffset At = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Fact]
    public void TrialMetrics_UsesCamelCaseNamesAndStringSteps_WhenSerialized()
    {
        var request = new ReportTrialMetricsRequest(
            new TrialMetrics(7, 2, 1250, At, new TrialMetricsBody(new JsonObject { ["loss"] = 0.5 }, [new JsonObject { ["loss"] = 0.25 }])),
            MetricGroups.Training);

        var json = JsonSerializer.Serialize(request, CoreApiJsonContext.Default.ReportTrialMetricsRequest);

        Assert.Equal(
            """{"metrics":{"trialId":7,"trialRunId":2,"stepsCompleted":"1250","reportTime":"2025-01-02T03:04:05+00:00","metrics":{"avgMetrics":{"loss":0.5},"batchMetrics":[{"loss":0.25}]}},"group":"training"}""",
            json);
        AssertRoundTrips(json, CoreApiJsonContext.Default.ReportTrialMetricsRequest);
    }

    [Fact]
    public void TrialMetrics_LeavesOutBatchMetrics_WhenThereAreNone()
    {
        var request = new ReportTrialMetricsRequest(
            new TrialMetrics(1, 1, 0, At, new TrialMetricsBody(new JsonObject { ["val_loss"] = "NaN" })), MetricGroups.Validation);

        var json = JsonSerializer.Serialize(request, CoreApiJsonContext.Default.ReportTrialMetricsRequest);

        Assert.Contains("\"metrics\":{\"avgMetrics\":{\"val_loss\":\"NaN\"}}", json, StringComparison.Ordinal);
        Assert.DoesNotContain("batchMetrics", json, StringComparison.Ordinal);
        AssertRoundTrips(json, CoreApiJsonContext.Default.ReportTrialMetricsRequest);
    }

    [Fact]
    public void SearcherOperation_ReadsLengthSentAsString_WhenDeserialized()
    {
        const string Json = """{"op":{"validateAfter":{"length":"1250"}},"completed":false}""";

        var response = JsonSerializer.Deserialize(Json, CoreApiJsonContext.Default.GetSearcherOperationResponse)!;

        Assert.False(response.Completed);
        Assert.Equal(1250UL, response.Op!.ValidateAfter!.Length);
        Assert.Equal(Json, JsonSerializer.Serialize(response, CoreApiJsonContext.Default.GetSearcherOperationResponse));
    }

    [Fact]
    public void SearcherOperation_ReadsNumericLengthAndLargeValues_WhenDeserialized()
    {
        var numeric = JsonSerializer.Deserialize("""{"op":{"validateAfter":{"length":5}},"completed":false}""", CoreApiJsonContext.Default.GetSearcherOperationResponse)!;
        var large = JsonSerializer.Deserialize("""{"op":{"validateAfter":{"length":"18446744073709551615"}},"completed":false}""", CoreApiJsonContext.Default.GetSearcherOperationResponse)!;

        Assert.Equal(5UL, numeric.Op!.ValidateAfter!.Length);
        Assert.Equal(ulong.MaxValue, large.Op!.ValidateAfter!.Length);
    }

    [Fact]
    public void SearcherOperation_HasNoOp_WhenCompleted()
    {
        var response = JsonSerializer.Deserialize("""{"completed":true}""", CoreApiJsonContext.Default.GetSearcherOperationResponse)!;

        Assert.True(response.Completed);
        Assert.Null(response.Op);
    }

    [Fact]
    public void CompleteOperation_WritesNaNAsString_WhenSearcherMetricIsNotFinite()
    {
        var json = JsonSerializer.Serialize(
            new CompleteValidateAfterOperationRequest(new ValidateAfterOperation(100), double.NaN),
            CoreApiJsonContext.Default.CompleteValidateAfterOperationRequest);

        Assert.Equal("""{"op":{"length":"100"},"searcherMetric":"NaN"}""", json);
        var back = JsonSerializer.Deserialize(json, CoreApiJsonContext.Default.CompleteValidateAfterOperationRequest)!;
        Assert.True(double.IsNaN(back.SearcherMetric));
    }

    [Fact]
    public void CompleteOperation_RoundTrips_WhenMetricIsFinite()
    {
        var request = new CompleteValidateAfterOperationRequest(new ValidateAfterOperation(3), 0.25);

        var json = JsonSerializer.Serialize(request, CoreApiJsonContext.Default.CompleteValidateAfterOperationRequest);

        Assert.Equal("""{"op":{"length":"3"},"searcherMetric":0.25}""", json);
        Assert.Equal(request, JsonSerializer.Deserialize(json, CoreApiJsonContext.Default.CompleteValidateAfterOperationRequest));
    }

    [Theory]
    [InlineData(EarlyExitReason.InvalidHp, """{"reason":"EXITED_REASON_INVALID_HP"}""")]
    [InlineData(EarlyExitReason.UserRequestedStop, """{"reason":"EXITED_REASON_USER_REQUESTED_STOP"}""")]
    public void EarlyExit_UsesDeterminedReasonNames_WhenSerialized(EarlyExitReason reason, string expected)
    {
        var json = JsonSerializer.Serialize(new ReportTrialEarlyExitRequest(reason), CoreApiJsonContext.Default.ReportTrialEarlyExitRequest);

        Assert.Equal(expected, json);
        Assert.Equal(reason, JsonSerializer.Deserialize(json, CoreApiJsonContext.Default.ReportTrialEarlyExitRequest)!.Reason);
    }

    [Theory]
    [InlineData(RunnerState.Training, "training")]
    [InlineData(RunnerState.Validating, "validating")]
    [InlineData(RunnerState.Checkpointing, "checkpointing")]
    public void RunnerState_UsesLowerCaseNames_WhenSerialized(RunnerState state, string name)
    {
        var json = JsonSerializer.Serialize(new ReportRunnerStateRequest(state), CoreApiJsonContext.Default.ReportRunnerStateRequest);

        Assert.Equal($$"""{"state":"{{name}}"}""", json);
        Assert.Equal(state, JsonSerializer.Deserialize(json, CoreApiJsonContext.Default.ReportRunnerStateRequest)!.State);
    }

    [Fact]
    public void Progress_RoundTrips_WithRawFlag()
    {
        var json = JsonSerializer.Serialize(new ReportTrialProgressRequest(0.5, IsRaw: true), CoreApiJsonContext.Default.ReportTrialProgressRequest);

        Assert.Equal("""{"progress":0.5,"isRaw":true}""", json);
        Assert.Equal(new ReportTrialProgressRequest(0.5, true), JsonSerializer.Deserialize(json, CoreApiJsonContext.Default.ReportTrialProgressRequest));
    }

    [Fact]
    public void Checkpoint_WritesResourcesAsStringSizesAndLeavesOutMissingStorage_WhenSerialized()
    {
        var request = new ReportCheckpointRequest(
            "1.abc", "1.abc.1", "0b6a", At,
            new Dictionary<string, long> { ["code/"] = 0, ["model.safetensors"] = 1234 },
            new JsonObject { ["steps_completed"] = 100, ["framework"] = "torchsharp-0.107" },
            CheckpointStates.Completed);

        var json = JsonSerializer.Serialize(request, CoreApiJsonContext.Default.ReportCheckpointRequest);

        Assert.Equal(
            """{"taskId":"1.abc","allocationId":"1.abc.1","uuid":"0b6a","reportTime":"2025-01-02T03:04:05+00:00","resources":{"code/":"0","model.safetensors":"1234"},"metadata":{"steps_completed":100,"framework":"torchsharp-0.107"},"state":"COMPLETED"}""",
            json);
        var back = JsonSerializer.Deserialize(json, CoreApiJsonContext.Default.ReportCheckpointRequest)!;
        Assert.Equal(1234, back.Resources["model.safetensors"]);
        Assert.Null(back.StorageId);
        AssertRoundTrips(json, CoreApiJsonContext.Default.ReportCheckpointRequest);
    }

    [Fact]
    public void Preemption_ReadsFlag()
    {
        Assert.True(JsonSerializer.Deserialize("""{"preempt":true}""", CoreApiJsonContext.Default.PreemptionSignalResponse)!.Preempt);
        Assert.False(JsonSerializer.Deserialize("""{"preempt":false}""", CoreApiJsonContext.Default.PreemptionSignalResponse)!.Preempt);
    }

    [Fact]
    public void BestMetric_ReadsNumber()
    {
        Assert.Equal(0.75, JsonSerializer.Deserialize("""{"metric":0.75}""", CoreApiJsonContext.Default.BestSearcherValidationMetricResponse)!.Metric);
    }

    [Fact]
    public void TaskLogs_UseDeterminedFieldNames_WhenSerialized()
    {
        var request = new PostTaskLogsRequest([new TaskLog("1.abc", "1.abc.1", "agent-1", null, 0, At, "LOG_LEVEL_INFO", "stdout", "harness", "hello\n")]);

        var json = JsonSerializer.Serialize(request, CoreApiJsonContext.Default.PostTaskLogsRequest);

        Assert.Equal(
            """{"logs":[{"taskId":"1.abc","allocationId":"1.abc.1","agentId":"agent-1","rankId":0,"timestamp":"2025-01-02T03:04:05+00:00","level":"LOG_LEVEL_INFO","stdtype":"stdout","source":"harness","log":"hello\n"}]}""",
            json);
        AssertRoundTrips(json, CoreApiJsonContext.Default.PostTaskLogsRequest);
    }

    private static void AssertRoundTrips<T>(string json, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo) where T : class
    {
        var value = JsonSerializer.Deserialize(json, typeInfo)!;
        Assert.Equal(json, JsonSerializer.Serialize(value, typeInfo));
    }
}

using System.Text.Json.Serialization;

namespace Determinant.Protocol.CoreApi;

/// <summary>
/// Source-generated JSON for the trial-facing Core API (docs/core-api.md): camelCase names, nulls left out, 64-bit
/// counts as strings, and non-finite numbers as the strings <c>"NaN"</c>, <c>"Infinity"</c> and <c>"-Infinity"</c>.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    PropertyNameCaseInsensitive = false)]
[JsonSerializable(typeof(ReportTrialMetricsRequest))]
[JsonSerializable(typeof(ReportTrialMetricsBatchRequest))]
[JsonSerializable(typeof(GetSearcherOperationResponse))]
[JsonSerializable(typeof(CompleteValidateAfterOperationRequest))]
[JsonSerializable(typeof(ReportTrialProgressRequest))]
[JsonSerializable(typeof(ReportTrialEarlyExitRequest))]
[JsonSerializable(typeof(ReportRunnerStateRequest))]
[JsonSerializable(typeof(BestSearcherValidationMetricResponse))]
[JsonSerializable(typeof(ReportCheckpointRequest))]
[JsonSerializable(typeof(PreemptionSignalResponse))]
[JsonSerializable(typeof(PostTaskLogsRequest))]
[JsonSerializable(typeof(AllGatherRequest))]
[JsonSerializable(typeof(AllGatherResponse))]
public sealed partial class CoreApiJsonContext : JsonSerializerContext;

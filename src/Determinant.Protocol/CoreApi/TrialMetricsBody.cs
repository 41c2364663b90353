using System.Text.Json.Nodes;

namespace Determinant.Protocol.CoreApi;

/// <summary>The metric values of one report: averages over the reported span and, for training, one object per batch.</summary>
/// <param name="AvgMetrics">Metric name to value. Numbers are JSON numbers; a non-finite number is the string <c>"NaN"</c>, <c>"Infinity"</c> or <c>"-Infinity"</c>.</param>
/// <param name="BatchMetrics">Per-batch values in batch order, or null (validation reports leave it out).</param>
public sealed record TrialMetricsBody(JsonObject AvgMetrics, IReadOnlyList<JsonObject>? BatchMetrics = null);

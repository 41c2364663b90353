namespace Determinant.Protocol.CoreApi;

/// <summary>Body of <c>POST /api/v1/trials/{id}/metrics</c>.</summary>
/// <param name="Metrics">The report.</param>
/// <param name="Group"><see cref="MetricGroups.Training"/>, <see cref="MetricGroups.Validation"/> or a custom group.</param>
public sealed record ReportTrialMetricsRequest(TrialMetrics Metrics, string Group);

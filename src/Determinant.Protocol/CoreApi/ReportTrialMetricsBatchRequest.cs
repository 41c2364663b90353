namespace Determinant.Protocol.CoreApi;

/// <summary>
/// Body of <c>POST /api/v1/trials/{id}/metrics/batch</c>: several training reports of one trial in one call, which is
/// how the harness sends what piled up while its previous call was in flight.
/// </summary>
/// <param name="Metrics">The reports, each keyed by (trial, run, group, steps) exactly as a single report is.</param>
/// <param name="Group">Only <see cref="MetricGroups.Training"/>: validation reports feed the searcher one at a time.</param>
public sealed record ReportTrialMetricsBatchRequest(IReadOnlyList<TrialMetrics> Metrics, string Group)
{
    /// <summary>The most reports one batch may hold.</summary>
    public const int MaxReports = 1024;
}

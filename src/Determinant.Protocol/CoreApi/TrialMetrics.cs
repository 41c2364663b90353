using System.Text.Json.Serialization;

namespace Determinant.Protocol.CoreApi;

/// <summary>Metrics of one trial at one point of training; (trial, run, group, steps) identifies a report so a retried one can be dropped.</summary>
/// <param name="TrialId">The trial.</param>
/// <param name="TrialRunId">The allocation run that produced the metrics (<c>DET_TRIAL_RUN_ID</c>).</param>
/// <param name="StepsCompleted">Batches trained when the metrics were taken; sent as a string like every 64-bit integer.</param>
/// <param name="ReportTime">When the training code took the metrics (UTC).</param>
/// <param name="Metrics">The values.</param>
public sealed record TrialMetrics(
    int TrialId,
    int TrialRunId,
    [property: JsonNumberHandling(JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.WriteAsString)] ulong StepsCompleted,
    DateTimeOffset ReportTime,
    TrialMetricsBody Metrics);

namespace Determinant.Master.Data.Entities;

/// <summary>
/// One training or validation report. Unique per (trial, group, steps_completed): the run id is not part of the key,
/// so a retried report stores nothing twice and a later run that re-reports steps after resuming replaces the row.
/// </summary>
public sealed class MetricReportEntity
{
    public const string Training = "training";
    public const string Validation = "validation";

    public long Id { get; set; }
    public int TrialId { get; set; }
    public int RunId { get; set; }
    public required string Group { get; set; }
    public long StepsCompleted { get; set; }
    public DateTime ReportTime { get; set; }
    public required string MetricsJson { get; set; }

    /// <summary>The searcher metric of a validation, when it was reported as a number.</summary>
    public double? SearcherMetric { get; set; }
}

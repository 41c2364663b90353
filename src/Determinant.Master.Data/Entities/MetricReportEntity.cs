namespace Determinant.Master.Data.Entities;

/// <summary>
/// One training or validation report. Its key is (trial, group, steps_completed): the run id is not part of it, so a
/// retried report stores nothing twice and a later run that re-reports steps after resuming replaces the row.
/// <para>
/// The key is also the table's storage order: on SQLite the table is <c>WITHOUT ROWID</c>, so one trial's reports of a
/// group sit together in step order however many trials reported at the same time, and a learning curve is read from
/// consecutive pages (docs/master.md, "Sampled learning curves"). Trials point at a validation by its steps
/// (<see cref="TrialEntity.BestValidationSteps"/>).
/// </para>
/// </summary>
public sealed class MetricReportEntity
{
    public const string Training = "training";
    public const string Validation = "validation";

    public int TrialId { get; set; }
    public int RunId { get; set; }
    public required string Group { get; set; }
    public long StepsCompleted { get; set; }
    public DateTime ReportTime { get; set; }
    public required string MetricsJson { get; set; }

    /// <summary>The searcher metric of a validation, when it was reported as a number.</summary>
    public double? SearcherMetric { get; set; }
}

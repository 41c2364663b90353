namespace Determinant.Master.CoreApi;

/// <summary>A metric report that was committed to the database.</summary>
internal sealed record StoredMetricReport(int TrialId, string Group, long StepsCompleted, string MetricsJson);

/// <summary>
/// Raised after a metric report commits (training through the ingest queue, validation through the controller), so
/// live views (the web UI's server-sent events) hear of it without polling. Listeners run on the writer's thread and
/// must only hand the report on, never block.
/// </summary>
internal sealed class MetricReportSignal
{
    public event Action<StoredMetricReport>? Stored;

    public void Raise(StoredMetricReport report) => Stored?.Invoke(report);
}

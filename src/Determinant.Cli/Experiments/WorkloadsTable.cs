using Determinant.Cli.Output;
using Determinant.Client;
using Determinant.Protocol.Api;

namespace Determinant.Cli.Experiments;

/// <summary>
/// The <c>Workloads:</c> table of <c>det experiment describe</c>: one row per trial and step count with a training report,
/// a checkpoint or a validation; with <c>--metrics</c>, one column per training and validation metric.
/// </summary>
internal static class WorkloadsTable
{
    public static async Task<Table> BuildAsync(Experiment experiment, IReadOnlyList<Trial> trials, bool metrics, CancellationToken cancellationToken)
    {
        var checkpoints = (await experiment.ListCheckpointsAsync(CheckpointSortBy.BatchNumber, SortOrder.Ascending, null, cancellationToken).ConfigureAwait(false))
            .Select(c => c.Info).ToLookup(c => (c.TrialId, c.StepsCompleted));
        var reports = new List<(int Trial, IReadOnlyList<MetricReportDto> Training, IReadOnlyList<MetricReportDto> Validation)>();
        foreach (var trial in trials.OrderBy(t => t.Id))
            reports.Add((trial.Id, await trial.ListMetricsAsync("training", cancellationToken).ConfigureAwait(false),
                await trial.ListMetricsAsync("validation", cancellationToken).ConfigureAwait(false)));
        var trainingNames = metrics ? Names(reports.SelectMany(r => r.Training)) : [];
        var validationNames = metrics ? Names(reports.SelectMany(r => r.Validation)) : [];
        string[] headers =
        [
            "Trial ID", "# of Batches", "State", "Report Time", .. trainingNames.Select(n => $"Training Metric: {n}"),
            "Checkpoint State", "Checkpoint Report Time", "Validation State", "Validation Report Time", .. validationNames.Select(n => $"Validation Metric: {n}"),
        ];
        var table = new Table(headers);
        foreach (var (trial, training, validation) in reports)
        {
            var steps = training.Select(m => m.StepsCompleted).Concat(validation.Select(m => m.StepsCompleted))
                .Concat(checkpoints.Where(g => g.Key.TrialId == trial).Select(g => g.Key.StepsCompleted)).Distinct().Order();
            foreach (var step in steps)
            {
                var train = training.FirstOrDefault(m => m.StepsCompleted == step);
                var valid = validation.FirstOrDefault(m => m.StepsCompleted == step);
                var checkpoint = checkpoints[(trial, step)].FirstOrDefault();
                table.Add(
                [
                    Formats.Int(trial), Formats.Int(step), train is null ? "" : "COMPLETED", Formats.Time(train?.ReportTime),
                    .. trainingNames.Select(n => Value(train, n)),
                    checkpoint is null ? "" : StateNames.Display(checkpoint.State), Formats.Time(checkpoint?.ReportTime),
                    valid is null ? "" : "COMPLETED", Formats.Time(valid?.ReportTime),
                    .. validationNames.Select(n => Value(valid, n)),
                ]);
            }
        }
        return table;
    }

    private static List<string> Names(IEnumerable<MetricReportDto> reports) =>
        [.. reports.SelectMany(r => Averages(r)?.Select(p => p.Key) ?? []).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    private static System.Text.Json.Nodes.JsonObject? Averages(MetricReportDto report) =>
        report.Metrics["avgMetrics"] as System.Text.Json.Nodes.JsonObject ?? report.Metrics;

    private static string Value(MetricReportDto? report, string name) =>
        report is not null && Averages(report)?[name] is System.Text.Json.Nodes.JsonValue v && v.TryGetValue<double>(out var d) ? Formats.Number(d) : "";
}

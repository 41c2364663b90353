using Determinant.Master.Domain;
using System.Text.Json.Nodes;
using Determinant.Master.Data.Entities;
using Determinant.Protocol.Api;

namespace Determinant.Master.Trials;

/// <summary>Rows to API records.</summary>
internal static class TrialMapper
{
    public static TrialDto ToDto(TrialEntity t, MetricReportEntity? best, MetricReportEntity? latest) => new(
        t.Id, t.ExperimentId, t.TaskId, t.RequestId.ToString("D"), t.State, JsonNode.Parse(t.HparamsJson)!.AsObject(), t.Seed,
        t.TotalBatches, t.Restarts, t.RunId, t.StartTime, t.EndTime, Summary(best), Summary(latest), t.WarmStartCheckpointUuid,
        t.Notes);

    public static ValidationSummary? Summary(MetricReportEntity? m) => m is null ? null
        : new ValidationSummary(m.StepsCompleted, m.ReportTime, m.SearcherMetric, JsonNode.Parse(m.MetricsJson)!.AsObject());
}

using System.Text.Json.Nodes;
using Determinant.Master.Data.Entities;
using Determinant.Protocol.Api;

namespace Determinant.Master.Checkpoints;

/// <summary>Rows to API records.</summary>
internal static class CheckpointMapper
{
    public static CheckpointDto ToDto(CheckpointEntity c, int? experimentId, double? searcherMetric) => new(
        c.Uuid.ToString("D"), c.State, c.TrialId, experimentId, c.TaskId, c.AllocationId, c.ReportTime, c.StepsCompleted, c.Size,
        JsonNode.Parse(c.ResourcesJson)!.AsObject(), JsonNode.Parse(c.MetadataJson)!.AsObject(), c.StorageId, searcherMetric);
}

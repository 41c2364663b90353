using System.Text.Json.Nodes;

namespace Determinant.Protocol.Api;

/// <summary>A checkpoint as lists and details show it.</summary>
public sealed record CheckpointDto(
    string Uuid,
    CheckpointState State,
    int? TrialId,
    int? ExperimentId,
    string TaskId,
    string? AllocationId,
    DateTime ReportTime,
    long StepsCompleted,
    long Size,
    JsonObject Resources,
    JsonObject Metadata,
    string? StorageId,
    double? SearcherMetric);

/// <summary><c>GET /api/v1/checkpoints/{uuid}</c>.</summary>
public sealed record CheckpointResponse(CheckpointDto Checkpoint);

/// <summary><c>GET /api/v1/experiments/{id}/checkpoints</c>.</summary>
public sealed record CheckpointsResponse(IReadOnlyList<CheckpointDto> Checkpoints, Pagination Pagination);

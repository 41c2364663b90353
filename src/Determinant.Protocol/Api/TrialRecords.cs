using System.Text.Json.Nodes;

namespace Determinant.Protocol.Api;

/// <summary>A validation as a trial's summary shows it.</summary>
public sealed record ValidationSummary(long TotalBatches, DateTime EndTime, double? SearcherMetric, JsonObject Metrics);

/// <summary>A trial.</summary>
public sealed record TrialDto(
    int Id,
    int ExperimentId,
    string TaskId,
    string RequestId,
    TrialState State,
    JsonObject Hparams,
    long Seed,
    long TotalBatchesProcessed,
    int Restarts,
    int RunId,
    DateTime StartTime,
    DateTime? EndTime,
    ValidationSummary? BestValidation,
    ValidationSummary? LatestValidation,
    string? WarmStartCheckpointUuid,
    string? Notes = null);

/// <summary><c>GET /api/v1/trials/{id}</c>.</summary>
public sealed record TrialResponse(TrialDto Trial);

/// <summary><c>GET /api/v1/experiments/{id}/trials</c>.</summary>
public sealed record TrialsResponse(IReadOnlyList<TrialDto> Trials);

/// <summary>One stored metrics report.</summary>
public sealed record MetricReportDto(long StepsCompleted, DateTime ReportTime, int TrialRunId, JsonObject Metrics);

/// <summary><c>GET /api/v1/trials/{id}/metrics</c>, ordered by steps.</summary>
public sealed record MetricsResponse(IReadOnlyList<MetricReportDto> Metrics);

/// <summary>One line of <c>GET /api/v1/trials/{id}/logs</c> (NDJSON: <c>{"result": …}</c> per line).</summary>
public sealed record TrialLogDto(long Id, string TaskId, string? AllocationId, DateTime Timestamp, string? Level, string? Stdtype, string? Source, int? RankId, string Log);

/// <summary>The NDJSON envelope of a streamed log line.</summary>
public sealed record TrialLogLine(TrialLogDto Result);

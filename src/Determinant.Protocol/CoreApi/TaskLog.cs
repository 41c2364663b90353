namespace Determinant.Protocol.CoreApi;

/// <summary>One log line of a task, as shipped to <c>POST /api/v1/task/logs</c>.</summary>
/// <param name="TaskId">The task.</param>
/// <param name="AllocationId">The allocation, when known.</param>
/// <param name="AgentId">The agent the process runs on, when known.</param>
/// <param name="ContainerId">The container, when there is one.</param>
/// <param name="RankId">The process rank in a distributed trial.</param>
/// <param name="Timestamp">When the line was written (UTC).</param>
/// <param name="Level">Severity such as <c>LOG_LEVEL_INFO</c>, when known.</param>
/// <param name="Stdtype"><c>stdout</c> or <c>stderr</c>.</param>
/// <param name="Source">Who produced it, such as <c>harness</c> or <c>agent</c>.</param>
/// <param name="Log">The text, with its newline.</param>
public sealed record TaskLog(
    string TaskId,
    string? AllocationId,
    string? AgentId,
    string? ContainerId,
    int? RankId,
    DateTimeOffset Timestamp,
    string? Level,
    string Stdtype,
    string Source,
    string Log);

namespace Determinant.Master.Data.Entities;

/// <summary>One log line of a task; pages are read by id.</summary>
public sealed class TaskLogEntity
{
    public long Id { get; set; }
    public required string TaskId { get; set; }
    public string? AllocationId { get; set; }
    public string? AgentId { get; set; }
    public string? ContainerId { get; set; }
    public int? RankId { get; set; }
    public DateTime Timestamp { get; set; }
    public string? Level { get; set; }
    public string? StdType { get; set; }
    public string? Source { get; set; }
    public required string Log { get; set; }
}

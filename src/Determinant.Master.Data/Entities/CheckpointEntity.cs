using Determinant.Protocol.Api;

namespace Determinant.Master.Data.Entities;

/// <summary>A checkpoint reported by a task; its files live in the experiment's checkpoint storage.</summary>
public sealed class CheckpointEntity
{
    public long Id { get; set; }
    public Guid Uuid { get; set; }
    public int? TrialId { get; set; }
    public required string TaskId { get; set; }
    public string? AllocationId { get; set; }
    public DateTime ReportTime { get; set; }
    public CheckpointState State { get; set; }
    public required string ResourcesJson { get; set; }
    public required string MetadataJson { get; set; }
    public long StepsCompleted { get; set; }
    public long Size { get; set; }
    public string? StorageId { get; set; }
}

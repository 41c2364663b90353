namespace Determinant.Master.Data.Entities;

/// <summary>The single row naming this cluster; its id is generated once and kept across restarts.</summary>
public sealed class ClusterEntity
{
    public int Id { get; set; }
    public required string ClusterId { get; set; }
    public DateTime CreatedAt { get; set; }
}

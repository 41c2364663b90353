namespace Determinant.Master.Data.Entities;

/// <summary>A project: a named group of experiments inside a workspace. Experiments with no project are in id 1.</summary>
public sealed class ProjectEntity
{
    /// <summary>The seeded default project, <c>Uncategorized/Uncategorized</c>.</summary>
    public const int UncategorizedId = 1;

    public int Id { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }
    public int WorkspaceId { get; set; }
    public WorkspaceEntity? Workspace { get; set; }

    /// <summary>The user who created it; null for the seeded default project.</summary>
    public int? OwnerId { get; set; }
    public UserEntity? Owner { get; set; }
    public DateTime CreatedAt { get; set; }
}

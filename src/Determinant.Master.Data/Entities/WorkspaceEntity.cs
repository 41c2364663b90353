namespace Determinant.Master.Data.Entities;

/// <summary>A workspace: a named group of projects. The seeded <c>Uncategorized</c> workspace (id 1) has no owner.</summary>
public sealed class WorkspaceEntity
{
    /// <summary>The id of the workspace that holds the default project.</summary>
    public const int UncategorizedId = 1;

    /// <summary>The name Determined gives the default workspace and project.</summary>
    public const string UncategorizedName = "Uncategorized";

    public int Id { get; set; }
    public required string Name { get; set; }

    /// <summary>The user who created it; null for the seeded default workspace.</summary>
    public int? OwnerId { get; set; }
    public UserEntity? Owner { get; set; }
    public DateTime CreatedAt { get; set; }
    public List<ProjectEntity> Projects { get; set; } = [];
}

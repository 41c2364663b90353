using Determinant.Master.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Determinant.Master.Data;

/// <summary>Keys, relations and indexes, shared by both providers.</summary>
internal static class MasterModel
{
    /// <summary>The creation time of the seeded rows (fixed, so that the model does not change between builds).</summary>
    private static readonly DateTime SeedTime = new(2026, 11, 27, 0, 0, 0, DateTimeKind.Utc);

    public static void Configure(ModelBuilder b)
    {
        b.Entity<UserEntity>(e =>
        {
            e.ToTable("users");
            e.HasIndex(u => u.Username).IsUnique();
        });
        b.Entity<AgentCredentialEntity>(e =>
        {
            e.ToTable("agent_credentials");
            e.HasKey(c => c.AgentId);
            e.HasIndex(c => c.TokenHash).IsUnique();
        });
        b.Entity<AuthTokenEntity>(e =>
        {
            e.ToTable("auth_tokens");
            e.HasIndex(t => t.TokenHash).IsUnique();
            e.HasIndex(t => t.TaskId);
            e.HasOne(t => t.User).WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<ClusterEntity>(e => e.ToTable("cluster"));
        b.Entity<WorkspaceEntity>(e =>
        {
            e.ToTable("workspaces");
            e.HasIndex(w => w.Name).IsUnique();
            e.HasOne(w => w.Owner).WithMany().HasForeignKey(w => w.OwnerId).OnDelete(DeleteBehavior.Restrict);
            e.HasMany(w => w.Projects).WithOne(p => p.Workspace).HasForeignKey(p => p.WorkspaceId).OnDelete(DeleteBehavior.Restrict);
            e.HasData(new WorkspaceEntity { Id = WorkspaceEntity.UncategorizedId, Name = WorkspaceEntity.UncategorizedName, CreatedAt = SeedTime });
        });
        b.Entity<ProjectEntity>(e =>
        {
            e.ToTable("projects");
            e.HasIndex(p => new { p.WorkspaceId, p.Name }).IsUnique();
            e.HasOne(p => p.Owner).WithMany().HasForeignKey(p => p.OwnerId).OnDelete(DeleteBehavior.Restrict);
            e.HasData(new ProjectEntity
            {
                Id = ProjectEntity.UncategorizedId,
                Name = WorkspaceEntity.UncategorizedName,
                WorkspaceId = WorkspaceEntity.UncategorizedId,
                CreatedAt = SeedTime,
            });
        });
        b.Entity<ExperimentEntity>(e =>
        {
            e.ToTable("experiments");
            e.Property(x => x.ProjectId).HasDefaultValue(ProjectEntity.UncategorizedId);
            e.HasOne(x => x.Project).WithMany().HasForeignKey(x => x.ProjectId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(x => new { x.ProjectId, x.Id });
            e.Property(x => x.State).HasConversion<string>().HasMaxLength(32);
            e.HasOne(x => x.Owner).WithMany().HasForeignKey(x => x.OwnerId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne(x => x.ModelDefinition).WithOne().HasForeignKey<ModelDefinitionEntity>(m => m.ExperimentId)
                .OnDelete(DeleteBehavior.Cascade);
            e.HasMany(x => x.Trials).WithOne(t => t.Experiment).HasForeignKey(t => t.ExperimentId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(x => new { x.Archived, x.Id });
            e.HasIndex(x => new { x.State, x.Id });
            e.HasIndex(x => new { x.OwnerId, x.Id });
        });
        b.Entity<SearcherJournalEntity>(e =>
        {
            e.ToTable("searcher_journal");
            e.HasKey(x => new { x.ExperimentId, x.Seq });
            e.Property(x => x.Seq).ValueGeneratedNever();
            e.HasOne<ExperimentEntity>().WithMany().HasForeignKey(x => x.ExperimentId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<ModelDefinitionEntity>(e =>
        {
            e.ToTable("model_definitions");
            e.HasKey(m => m.ExperimentId);
        });
        b.Entity<TaskEntity>(e =>
        {
            e.ToTable("tasks");
            e.Property(x => x.Type).HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.State).HasConversion<string>().HasMaxLength(16);
            e.HasOne(x => x.Owner).WithMany().HasForeignKey(x => x.OwnerId).OnDelete(DeleteBehavior.Restrict);
            e.HasIndex(x => new { x.Type, x.State });
        });
        b.Entity<TrialEntity>(e =>
        {
            e.ToTable("trials");
            e.Property(x => x.State).HasConversion<string>().HasMaxLength(32);
            e.HasIndex(x => new { x.ExperimentId, x.RequestId }).IsUnique();
            e.HasIndex(x => x.TaskId).IsUnique();
            e.HasOne(x => x.Task).WithOne().HasForeignKey<TrialEntity>(x => x.TaskId).OnDelete(DeleteBehavior.Restrict);
        });
        b.Entity<MetricReportEntity>(e =>
        {
            e.ToTable("metric_reports");
            e.Property(x => x.Group).HasMaxLength(16);
            // The natural key, which SQLite also stores the rows by (the migration ClusteredMetricReports makes the
            // table WITHOUT ROWID; EF cannot say so itself, and a test checks that it stays so).
            e.HasKey(x => new { x.TrialId, x.Group, x.StepsCompleted });
            e.HasOne<TrialEntity>().WithMany().HasForeignKey(x => x.TrialId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<CheckpointEntity>(e =>
        {
            e.ToTable("checkpoints");
            e.Property(x => x.State).HasConversion<string>().HasMaxLength(32);
            e.HasIndex(x => x.Uuid).IsUnique();
            e.HasIndex(x => new { x.TrialId, x.StepsCompleted });
            e.HasOne<TrialEntity>().WithMany().HasForeignKey(x => x.TrialId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<TaskLogEntity>(e =>
        {
            e.ToTable("task_logs");
            e.HasIndex(x => new { x.TaskId, x.Id });
        });
        b.Entity<AllocationEntity>(e =>
        {
            e.ToTable("allocations");
            e.Property(x => x.State).HasConversion<string>().HasMaxLength(16);
            e.HasIndex(x => x.TokenHash).IsUnique();
            e.HasIndex(x => new { x.TaskId, x.State });
            e.HasOne<TaskEntity>().WithMany().HasForeignKey(x => x.TaskId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}

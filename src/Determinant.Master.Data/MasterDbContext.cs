using Determinant.Master.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Determinant.Master.Data;

/// <summary>
/// The master's model. It is abstract: each provider has its own subclass so that each keeps its own migrations
/// (<see cref="SqliteMasterDbContext"/>, <see cref="PostgresMasterDbContext"/>).
/// </summary>
public abstract class MasterDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<UserEntity> Users => Set<UserEntity>();
    public DbSet<AuthTokenEntity> AuthTokens => Set<AuthTokenEntity>();
    public DbSet<AgentCredentialEntity> AgentCredentials => Set<AgentCredentialEntity>();
    public DbSet<ClusterEntity> Cluster => Set<ClusterEntity>();
    public DbSet<WorkspaceEntity> Workspaces => Set<WorkspaceEntity>();
    public DbSet<ProjectEntity> Projects => Set<ProjectEntity>();
    public DbSet<ExperimentEntity> Experiments => Set<ExperimentEntity>();
    public DbSet<SearcherJournalEntity> SearcherJournal => Set<SearcherJournalEntity>();
    public DbSet<ModelDefinitionEntity> ModelDefinitions => Set<ModelDefinitionEntity>();
    public DbSet<TrialEntity> Trials => Set<TrialEntity>();
    public DbSet<MetricReportEntity> Metrics => Set<MetricReportEntity>();
    public DbSet<CheckpointEntity> Checkpoints => Set<CheckpointEntity>();
    public DbSet<TaskLogEntity> TaskLogs => Set<TaskLogEntity>();
    public DbSet<TaskEntity> Tasks => Set<TaskEntity>();
    public DbSet<AllocationEntity> Allocations => Set<AllocationEntity>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder) => MasterModel.Configure(modelBuilder);
}

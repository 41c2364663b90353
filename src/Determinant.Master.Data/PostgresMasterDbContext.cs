using Determinant.Master.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Determinant.Master.Data;

/// <summary>The model on PostgreSQL, the production option; its migrations are in Migrations/Postgres.</summary>
public sealed class PostgresMasterDbContext(DbContextOptions<PostgresMasterDbContext> options) : MasterDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        // The seeded rows take id 1 explicitly, which a PostgreSQL identity does not count: start the generated ids after them.
        modelBuilder.Entity<WorkspaceEntity>().Property(w => w.Id).HasIdentityOptions(startValue: WorkspaceEntity.UncategorizedId + 1);
        modelBuilder.Entity<ProjectEntity>().Property(p => p.Id).HasIdentityOptions(startValue: ProjectEntity.UncategorizedId + 1);
    }
}

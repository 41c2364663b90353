using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Determinant.Master.Data;

/// <summary>Lets <c>dotnet ef</c> build the PostgreSQL context; generating migrations needs no server.</summary>
public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresMasterDbContext>
{
    public PostgresMasterDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<PostgresMasterDbContext>();
        MasterDatabase.UsePostgres(builder, "Host=localhost;Database=determinant_design");
        return new PostgresMasterDbContext(builder.Options);
    }
}

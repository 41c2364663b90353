using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Determinant.Master.Data;

/// <summary>Lets <c>dotnet ef</c> build the SQLite context without the master (see docs/master.md).</summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteMasterDbContext>
{
    public SqliteMasterDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<SqliteMasterDbContext>();
        MasterDatabase.UseSqlite(builder, MasterDatabase.SqliteConnectionString("design-time.db"));
        return new SqliteMasterDbContext(builder.Options);
    }
}

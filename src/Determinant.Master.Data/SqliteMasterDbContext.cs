using Microsoft.EntityFrameworkCore;

namespace Determinant.Master.Data;

/// <summary>The model on SQLite, the embedded default; its migrations are in Migrations/Sqlite.</summary>
public sealed class SqliteMasterDbContext(DbContextOptions<SqliteMasterDbContext> options) : MasterDbContext(options);

using Microsoft.EntityFrameworkCore;

namespace Determinant.Master.Data;

/// <summary>The model on PostgreSQL, the production option; its migrations are in Migrations/Postgres.</summary>
public sealed class PostgresMasterDbContext(DbContextOptions<PostgresMasterDbContext> options) : MasterDbContext(options);

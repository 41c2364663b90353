using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Determinant.Master.Data;

/// <summary>Configures a context for a provider, and prepares and migrates the database at master start.</summary>
public static class MasterDatabase
{
    private const int BusyTimeoutMilliseconds = 10_000;

    /// <summary>The SQLite connection string for a database file.</summary>
    public static string SqliteConnectionString(string path) =>
        new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, DefaultTimeout = 30 }.ToString();

    public static void UseSqlite(DbContextOptionsBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // A migration that rebuilds an SQLite table (WorkspacesProjects) turns foreign keys off around the rebuild, which
        // SQLite allows only outside a transaction; EF warns about that on every new database. The rebuild itself runs in
        // the migration's transaction, so the warning tells the operator nothing they could act on.
        builder.UseSqlite(connectionString)
            .AddInterceptors(new SqliteBusyTimeoutInterceptor(BusyTimeoutMilliseconds))
            .ConfigureWarnings(w => w.Ignore(RelationalEventId.NonTransactionalMigrationOperationWarning));
    }

    public static void UsePostgres(DbContextOptionsBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseNpgsql(connectionString);
    }

    /// <summary>
    /// Makes the SQLite file its owner's alone (0600), switches it to WAL (a property of the file, kept once set) and
    /// applies the provider's migrations.
    /// </summary>
    public static async Task MigrateAsync(MasterDbContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Database.IsSqlite())
        {
            SqliteFileMode.Restrict(context.Database.GetConnectionString());
            await context.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL;", cancellationToken).ConfigureAwait(false);
        }
        await context.Database.MigrateAsync(cancellationToken).ConfigureAwait(false);
    }
}

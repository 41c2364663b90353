using Determinant.Master.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Determinant.Master.Tests.Integration;

/// <summary>
/// One test's database: a temp data dir (the SQLite file lives there) and, on PostgreSQL, a fresh database on the server.
/// Disposing drops the database and deletes the dir, so that runs leave nothing behind on a developer's server.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string? _name;

    private TestDatabase(string dataDir, string? dbUrl, string? name)
    {
        DataDir = dataDir;
        DbUrl = dbUrl;
        _name = name;
    }

    public string DataDir { get; }

    /// <summary>The PostgreSQL connection string, or null for SQLite.</summary>
    public string? DbUrl { get; }

    public static async Task<TestDatabase> CreateAsync(string database)
    {
        var dataDir = Directory.CreateTempSubdirectory("det-master-").FullName;
        if (database != TestDatabases.Postgres)
            return new TestDatabase(dataDir, null, null);
        var name = "det_test_" + Guid.NewGuid().ToString("N")[..12];
        await ExecuteOnServerAsync($"CREATE DATABASE {name}");
        var url = new NpgsqlConnectionStringBuilder(TestDatabases.PostgresUrl) { Database = name };
        return new TestDatabase(dataDir, url.ConnectionString, name);
    }

    /// <summary>
    /// A context of the provider's own subclass on this database (SQLite: <c>migrate.db</c> in the data dir), for tests
    /// that migrate a database step by step themselves.
    /// </summary>
    public MasterDbContext OpenContext()
    {
        if (DbUrl is { } url)
        {
            var postgres = new DbContextOptionsBuilder<PostgresMasterDbContext>();
            MasterDatabase.UsePostgres(postgres, url);
            return new PostgresMasterDbContext(postgres.Options);
        }
        var sqlite = new DbContextOptionsBuilder<SqliteMasterDbContext>();
        MasterDatabase.UseSqlite(sqlite, MasterDatabase.SqliteConnectionString(Path.Combine(DataDir, "migrate.db")));
        return new SqliteMasterDbContext(sqlite.Options);
    }

    /// <summary>Whether a database of this name exists on the test server.</summary>
    public static async Task<bool> ExistsOnServerAsync(string name)
    {
        await using var connection = new NpgsqlConnection(TestDatabases.PostgresUrl);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_database WHERE datname = @name", connection);
        command.Parameters.AddWithValue("name", name);
        return (long)(await command.ExecuteScalarAsync())! > 0;
    }

    public async ValueTask DisposeAsync()
    {
        if (_name is not null)
        {
            // The master's pooled connections would block the drop; FORCE ends any still open (PostgreSQL 13+). FORCE may
            // not end an autovacuum worker that the server started on the database (42501: not our role's process); it
            // finishes within moments, so the drop is tried again a few times.
            NpgsqlConnection.ClearAllPools();
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await ExecuteOnServerAsync($"DROP DATABASE IF EXISTS {_name} WITH (FORCE)");
                    break;
                }
                catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.InsufficientPrivilege or PostgresErrorCodes.ObjectInUse && attempt < 20)
                {
                    await Task.Delay(250);
                }
            }
        }
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open; the temp dir is cleaned by the system eventually.
        }
    }

    private static async Task ExecuteOnServerAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(TestDatabases.PostgresUrl);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

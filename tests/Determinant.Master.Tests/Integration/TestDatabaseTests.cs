using Npgsql;

namespace Determinant.Master.Tests.Integration;

/// <summary>Test databases leave nothing behind.</summary>
public sealed class TestDatabaseTests
{
    [SkippableFact]
    public async Task FreshHost_DropsItsPostgresDatabase_WhenDisposed()
    {
        TestDatabases.SkipUnavailable(TestDatabases.Postgres);
        var host = await MasterHost.StartFreshAsync(TestDatabases.Postgres);
        var name = new NpgsqlConnectionStringBuilder(host.DbUrl).Database!;
        Assert.True(await TestDatabase.ExistsOnServerAsync(name));

        await host.DisposeAsync();

        Assert.False(await TestDatabase.ExistsOnServerAsync(name));
        Assert.False(Directory.Exists(host.DataDir));
    }

    [Fact]
    public async Task FreshHost_DeletesItsSqliteDataDir_WhenDisposed()
    {
        var host = await MasterHost.StartFreshAsync(TestDatabases.Sqlite);
        Assert.True(File.Exists(Path.Combine(host.DataDir, "determinant.db")));

        await host.DisposeAsync();

        Assert.False(Directory.Exists(host.DataDir));
    }
}

namespace Determinant.Master.Tests.Integration;

/// <summary>The databases every integration test runs on: SQLite always, PostgreSQL when <c>DET_TEST_POSTGRES</c> is set.</summary>
public static class TestDatabases
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";
    public const string PostgresVariable = "DET_TEST_POSTGRES";

    public static TheoryData<string> All => new(Sqlite, Postgres);

    public static string? PostgresUrl => Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } url ? url : null;

    /// <summary>Skips (visibly) a PostgreSQL run when no server was given.</summary>
    public static void SkipUnavailable(string database) =>
        Skip.If(database == Postgres && PostgresUrl is null,
            $"{PostgresVariable} is not set (a PostgreSQL connection string); .ci/run sets it when it starts a server");
}

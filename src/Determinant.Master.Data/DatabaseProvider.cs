namespace Determinant.Master.Data;

/// <summary>Which database the master keeps its state in.</summary>
public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

namespace Determinant.Master.ResourceManagers;

/// <summary>Resource pool names: an empty <c>resource_pool</c> means the default pool (REFERENCE.md §1), which serves both compute and aux tasks here.</summary>
internal static class PoolNames
{
    public const string Default = "default";

    public static string Resolve(string? pool) => string.IsNullOrEmpty(pool) ? Default : pool;
}

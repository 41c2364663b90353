using System.Reflection;

namespace Determinant.Testing;

/// <summary>Paths inside the checkout a test assembly was built from (recorded at build time by Directory.Build.props).</summary>
internal static class TestRepository
{
    public static string Root { get; } = Assembly.GetExecutingAssembly()
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "RepositoryRoot").Value!.TrimEnd('/');

    public static string PathOf(string relative) => Path.Combine(Root, relative);
}

namespace Determinant.Master.Tests.EndToEnd;

/// <summary>A model definition directory as the create-experiment request carries it (REFERENCE.md §7.4 File objects).</summary>
public static class ModelDefinitionUpload
{
    /// <summary>Every file of examples/iris, in a stable order.</summary>
    public static object[] Iris() => Of(Path.Combine(ClusterBinaries.RepositoryRoot, "examples", "iris"));

    public static object[] Of(string root) =>
        [.. Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).Select(f => (object)new
        {
            path = Path.GetRelativePath(root, f).Replace('\\', '/'),
            type = 48,
            content = Convert.ToBase64String(File.ReadAllBytes(f)),
            mode = 420,
        })];
}

namespace Determinant.Cli.Tests;

/// <summary>Paths inside the checkout the tests run from.</summary>
internal static class Repository
{
    public static string Root { get; } = Find();

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Determinant.slnx")))
                return dir.FullName;
        }
        throw new InvalidOperationException("Determinant.slnx not found above the test binary");
    }
}

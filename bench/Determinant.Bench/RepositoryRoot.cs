namespace Determinant.Bench;

/// <summary>Finds the repository root (the folder holding Determinant.slnx) above the working directory or the binary.</summary>
internal static class RepositoryRoot
{
    public static string Find()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Determinant.slnx")))
                    return dir.FullName;
            }
        }
        throw new InvalidOperationException("cannot find Determinant.slnx above the working directory or the benchmark binary");
    }
}

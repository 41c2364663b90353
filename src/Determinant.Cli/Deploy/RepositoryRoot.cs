namespace Determinant.Cli.Deploy;

/// <summary>The source checkout the CLI was built from: <c>DET_REPO_ROOT</c>, else the first directory above the CLI's own files that holds <c>Determinant.slnx</c>.</summary>
internal static class RepositoryRoot
{
    public static string Find(CliContext context)
    {
        if (context.Environment("DET_REPO_ROOT") is { Length: > 0 } given)
        {
            if (!IsRoot(given))
                throw new CliException(ExitCodes.Usage, $"DET_REPO_ROOT={given} is not a Determinant checkout (no Determinant.slnx)");
            return Path.GetFullPath(given);
        }
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (IsRoot(directory.FullName))
                return directory.FullName;
        }
        throw new CliException(ExitCodes.Usage,
            $"cannot find the Determinant checkout above {AppContext.BaseDirectory}; run `./det` from the checkout or set DET_REPO_ROOT");
    }

    private static bool IsRoot(string directory) =>
        File.Exists(Path.Combine(directory, "Determinant.slnx")) && File.Exists(Path.Combine(directory, "build", "det-build.sh"));
}

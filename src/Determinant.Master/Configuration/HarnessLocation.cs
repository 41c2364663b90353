using Determinant.Master.Configuration;
using System.Reflection;

namespace Determinant.Master.Configuration;

/// <summary>Where the harness runner's build output is by default: <c>&lt;repo&gt;/.det-build/harness</c>, the folder the CLI's <c>cluster-up</c> builds.</summary>
internal static class HarnessLocation
{
    public const string RunnerAssembly = "determinant-harness.dll";

    public static string Default()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Determinant.slnx")))
                return Path.Combine(dir.FullName, ".det-build", "harness");
        }
        // Built elsewhere (an artifacts path): the repository it was built from.
        var source = typeof(HarnessLocation).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "RepositoryRoot")?.Value;
        return source is not null && File.Exists(Path.Combine(source, "Determinant.slnx"))
            ? Path.Combine(source, ".det-build", "harness")
            : Path.Combine(AppContext.BaseDirectory, "harness");
    }
}

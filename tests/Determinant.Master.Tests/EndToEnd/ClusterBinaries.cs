using System.Diagnostics;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace Determinant.Master.Tests.EndToEnd;

/// <summary>
/// The agent and the harness runner as Release builds, made once per source state: reused from <c>.det-build/</c> (what
/// <c>det deploy local cluster-up</c> builds) or from an earlier test run when newer than every source file they are built from.
/// </summary>
public static class ClusterBinaries
{
    private static readonly string[] SourceProjects =
        ["Determinant.Agent", "Determinant.Protocol", "Determinant.Harness", "Determinant.Harness.Runner", "Determinant.ModelDefinitions", "Determinant.Config"];

    private static readonly Lazy<Task<(string Agent, string Harness)>> Built = new(BuildAsync);

    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>The folders holding <c>determinant-agent.dll</c> and <c>determinant-harness.dll</c>.</summary>
    public static Task<(string Agent, string Harness)> GetAsync() => Built.Value;

    private static async Task<(string, string)> BuildAsync()
    {
        var newest = NewestSource();
        var cache = Path.Combine(Path.GetTempPath(), "det-master-tests-build",
            Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(RepositoryRoot)))[..12]);
        var shared = Path.Combine(RepositoryRoot, ".det-build", "harness");
        var harness = Fresh(shared, "determinant-harness.dll", newest) ? shared : Path.Combine(cache, "harness");
        var agent = Path.Combine(cache, "agent");
        if (!Fresh(agent, "determinant-agent.dll", newest))
            await BuildAsync("src/Determinant.Agent", agent, cache);
        if (!Fresh(harness, "determinant-harness.dll", newest))
            await BuildAsync("src/Determinant.Harness.Runner", harness, cache);
        return (agent, harness);
    }

    private static bool Fresh(string folder, string assembly, DateTime newestSource) =>
        File.Exists(Path.Combine(folder, assembly)) && File.GetLastWriteTimeUtc(Path.Combine(folder, assembly)) > newestSource;

    private static DateTime NewestSource() =>
        SourceProjects.SelectMany(p => Directory.EnumerateFiles(Path.Combine(RepositoryRoot, "src", p), "*", SearchOption.AllDirectories))
            .Where(f => !f.Contains("/bin/", StringComparison.Ordinal) && !f.Contains("/obj/", StringComparison.Ordinal)
                && (f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".csproj", StringComparison.Ordinal)))
            .Concat(new[] { "Directory.Build.props", "Directory.Packages.props" }.Select(f => Path.Combine(RepositoryRoot, f)))
            .Max(File.GetLastWriteTimeUtc);

    private static async Task BuildAsync(string project, string output, string cache)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { "build", project, "-c", "Release", "-o", output, "--artifacts-path", Path.Combine(cache, "artifacts"), "-nologo", "-v", "q" })
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(5));
        Assert.True(process.ExitCode == 0, $"dotnet build {project} failed:\n{await stdout}\n{await stderr}");
    }

    private static string FindRoot() =>
        typeof(ClusterBinaries).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;
}

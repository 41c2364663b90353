using System.Diagnostics;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace Determinant.Master.Tests.EndToEnd;

/// <summary>
/// The agent, the harness runner and the master as Release builds, made once per source state: reused from <c>.det-build/</c>
/// (what <c>det deploy local cluster-up</c> builds) or from an earlier test run when newer than every source file they are built from.
/// </summary>
public static class ClusterBinaries
{
    private static readonly string[] SourceProjects =
        ["Determinant.Agent", "Determinant.Protocol", "Determinant.Harness", "Determinant.Harness.Runner", "Determinant.ModelDefinitions", "Determinant.Config"];

    private static readonly string[] MasterProjects =
        ["Determinant.Master", "Determinant.Master.Data", "Determinant.Searchers", "Determinant.Config", "Determinant.Protocol", "Determinant.ModelDefinitions",
            "Determinant.ModelDefinitions.Worker"];

    private static readonly Lazy<Task<(string Agent, string Harness)>> Built = new(BuildAsync);

    private static readonly Lazy<Task<string>> BuiltMaster = new(BuildMasterAsync);

    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>The folders holding <c>determinant-agent.dll</c> and <c>determinant-harness.dll</c>.</summary>
    public static Task<(string Agent, string Harness)> GetAsync() => Built.Value;

    /// <summary>The folder holding <c>determinant-master.dll</c>, for tests that run the master as a process.</summary>
    public static Task<string> GetMasterAsync() => BuiltMaster.Value;

    private static string Cache { get; } = Path.Combine(Path.GetTempPath(), "det-master-tests-build",
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(RepositoryRoot)))[..12]);

    private static async Task<(string, string)> BuildAsync()
    {
        var newest = NewestSource(SourceProjects);
        var cache = Cache;
        var shared = Path.Combine(RepositoryRoot, ".det-build", "harness");
        var harness = Fresh(shared, "determinant-harness.dll", newest) ? shared : Path.Combine(cache, "harness");
        var agent = Path.Combine(cache, "agent");
        if (!Fresh(agent, "determinant-agent.dll", newest))
            await BuildAsync("src/Determinant.Agent", agent, cache);
        if (!Fresh(harness, "determinant-harness.dll", newest))
            await BuildAsync("src/Determinant.Harness.Runner", harness, cache);
        return (agent, harness);
    }

    private static async Task<string> BuildMasterAsync()
    {
        // After the agent and harness: builds sharing one artifacts path must not run at once.
        await Built.Value;
        var newest = NewestSource(MasterProjects);
        var shared = Path.Combine(RepositoryRoot, ".det-build", "master");
        if (Fresh(shared, "determinant-master.dll", newest))
            return shared;
        var master = Path.Combine(Cache, "master");
        if (!Fresh(master, "determinant-master.dll", newest))
            await BuildAsync("src/Determinant.Master", master, Cache);
        return master;
    }

    private static bool Fresh(string folder, string assembly, DateTime newestSource) =>
        File.Exists(Path.Combine(folder, assembly)) && File.GetLastWriteTimeUtc(Path.Combine(folder, assembly)) > newestSource;

    private static DateTime NewestSource(string[] projects) =>
        projects.SelectMany(p => Directory.EnumerateFiles(Path.Combine(RepositoryRoot, "src", p), "*", SearchOption.AllDirectories))
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

using System.Globalization;
using Determinant.Testing;

namespace Determinant.Cli.Tests.EndToEnd;

/// <summary>
/// A fresh local cluster brought up the way a user does it, with the real CLI binary (<c>./det deploy local cluster-up</c>,
/// which builds the master, agent and harness when stale), its own data dir, port and home directory; torn down with
/// <c>cluster-down</c>.
/// </summary>
internal sealed class LocalClusterFixture : IAsyncDisposable
{
    public const string Password = "Walk-Through-42";

    private LocalClusterFixture(string root)
    {
        Root = root;
        Port = ProcessRun.FreePort();
    }

    public string Root { get; }

    public int Port { get; }

    public string Master => $"http://localhost:{Port.ToString(CultureInfo.InvariantCulture)}";

    public string Home => Path.Combine(Root, "home");

    public string DataDir => Path.Combine(Root, "cluster");

    /// <summary>Where the walk-through's commands run: checkpoints are downloaded below it.</summary>
    public string WorkDir => Path.Combine(Root, "work");

    /// <summary>The environment of every command: the master, and a home directory (token store) of this test's own.</summary>
    public Dictionary<string, string> Environment => new(StringComparer.Ordinal)
    {
        ["DET_MASTER"] = Master,
        ["HOME"] = Home,
        ["XDG_CONFIG_HOME"] = Path.Combine(Home, ".config"),
        ["XDG_CACHE_HOME"] = Path.Combine(Home, ".cache"),
        ["DET_USER"] = "",
        ["DET_PASS"] = "",
        // The C# notebook kernel lives in the machine's Determinant cache (build/csharp-kernel.sh installs it once), not in this home.
        ["DET_CACHE_DIR"] = MachineCache,
    };

    private static string MachineCache =>
        System.Environment.GetEnvironmentVariable("DET_CACHE_DIR") is { Length: > 0 } cache ? cache
        : Path.Combine(System.Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg
            ? xdg : Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".cache"), "determinant");

    public static async Task<LocalClusterFixture> StartAsync()
    {
        var cluster = new LocalClusterFixture(Directory.CreateTempSubdirectory("det-walk-through-").FullName);
        Directory.CreateDirectory(cluster.Home);
        Directory.CreateDirectory(cluster.WorkDir);
        var up = await cluster.DetAsync(null, TimeSpan.FromMinutes(8), "deploy", "local", "cluster-up", "--port", cluster.Port.ToString(CultureInfo.InvariantCulture),
            "--data-dir", cluster.DataDir, "--initial-password", Password, "--slots", "2");
        if (up.Code != 0)
        {
            await cluster.DisposeAsync();
            Assert.Fail(up.ToString());
        }
        return cluster;
    }

    /// <summary>Runs <c>./det ARGS</c> from the work directory.</summary>
    public Task<ProcessResult> DetAsync(string? input, TimeSpan timeout, params string[] args) =>
        ProcessRun.RunAsync(TestRepository.PathOf("det"), args, WorkDir, Environment, input, timeout);

    public Task<ProcessResult> DetAsync(params string[] args) => DetAsync(null, TimeSpan.FromMinutes(2), args);

    /// <summary>The master's and agent's logs, for failure messages.</summary>
    public string Logs()
    {
        string Tail(string file) => File.Exists(file) ? string.Join('\n', File.ReadLines(file).TakeLast(60)) : "(none)";
        return $"master log:\n{Tail(Path.Combine(DataDir, "logs", "master.log"))}\nagent log:\n{Tail(Path.Combine(DataDir, "logs", "agent.log"))}";
    }

    public async ValueTask DisposeAsync()
    {
        await DetAsync(null, TimeSpan.FromMinutes(1), "deploy", "local", "cluster-down", "--data-dir", DataDir);
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a process that is going away; the temp dir stays behind.
        }
    }
}

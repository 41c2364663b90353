using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Determinant.Agent.Sandbox;

namespace Determinant.Agent.Tasks;

/// <summary>
/// One harness process started ahead of need (<c>DET_STANDBY=1</c>, see determinant-harness's Standby): it has loaded
/// the runtime and libtorch and waits on stdin for its task. It matches a launch with the same argv whose environment,
/// apart from the per-task <c>DET_*</c> variables, is the one it was started with — variables that native code reads
/// at process start must be right from the start, and only <c>DET_*</c> ones are read later, by the harness.
/// </summary>
/// <remarks>
/// It is ready once it wrote <see cref="ReadyLine"/> on stdout; the agent reads that line, so the task's output starts
/// after it. A trial that arrives while it is still warming up starts the ordinary way (warming up costs more than a
/// fresh start) and leaves it warming for the next one. A sandboxed standby matches only a launch with the same sandbox
/// (user, mounts, limits) and no <c>startup-hook.sh</c>; it waits in a fresh directory of its own, shown where every
/// sandbox shows its working directory, and that directory becomes the allocation's (<see cref="Adopt"/>).
/// </remarks>
internal sealed class StandbyHarness
{
    /// <summary>The line determinant-harness writes when warm (its Standby.ReadyLine).</summary>
    public const string ReadyLine = "determinant-harness standby ready";

    private readonly IReadOnlyList<string> _argv;
    private readonly IReadOnlyDictionary<string, string> _baseEnvironment;
    private readonly SandboxSpec? _sandbox;
    private readonly string? _directory;
    private readonly Task<bool> _ready;

    /// <param name="process">The started process and its cgroup.</param>
    /// <param name="argv">The launch argv it serves.</param>
    /// <param name="baseEnvironment">The environment it started with (<see cref="BaseOf"/>).</param>
    /// <param name="sandbox">Its sandbox; null when unsandboxed.</param>
    /// <param name="directory">The host directory shown as its working directory; null when unsandboxed.</param>
    public StandbyHarness(TaskProcess process, IReadOnlyList<string> argv, IReadOnlyDictionary<string, string> baseEnvironment,
        SandboxSpec? sandbox, string? directory)
    {
        ArgumentNullException.ThrowIfNull(process);
        Process = process.Process;
        Cgroup = process.Cgroup;
        _argv = argv;
        _baseEnvironment = baseEnvironment;
        _sandbox = sandbox;
        _directory = directory;
        _ready = ReadReadyLineAsync(Process);
    }

    public Process Process { get; }

    public TaskCgroup? Cgroup { get; }

    /// <summary>Completes when the standby says it is ready (true), or ends or says something else first (false).</summary>
    public Task<bool> Ready => _ready;

    /// <summary>Warm and waiting for its task.</summary>
    public bool IsReady => _ready.IsCompletedSuccessfully && _ready.Result && !Process.HasExited;

    /// <summary>Task-for-task interchangeable with a fresh start of this launch (ready or not).</summary>
    public bool Fits(IReadOnlyList<string> launchArgv, IReadOnlyDictionary<string, string> environment, SandboxSpec? sandbox) =>
        !Process.HasExited && (!_ready.IsCompleted || IsReady)
        && launchArgv.SequenceEqual(_argv, StringComparer.Ordinal) && SameBase(BaseOf(environment), _baseEnvironment)
        && (sandbox is null ? _sandbox is null : _sandbox is not null && sandbox.SameAs(_sandbox));

    /// <summary>
    /// Makes the standby's directory the allocation's working directory <paramref name="allocationDirectory"/> (prepared,
    /// with the model definition): what the warm-up left goes, the model definition moves in, and the directory takes the
    /// allocation's name — the sandbox keeps showing the same directory. Returns the working directory the task sees.
    /// </summary>
    /// <exception cref="IOException">A move failed; the allocation's directory is left as prepared as far as possible.</exception>
    public string Adopt(string allocationDirectory)
    {
        if (_directory is null)
            return allocationDirectory;
        foreach (var leftover in new DirectoryInfo(_directory).EnumerateFileSystemInfos())
        {
            if (leftover is DirectoryInfo directory)
                directory.Delete(recursive: true);
            else
                leftover.Delete();
        }
        foreach (var entry in new DirectoryInfo(allocationDirectory).EnumerateFileSystemInfos())
        {
            var target = Path.Combine(_directory, entry.Name);
            if (entry is DirectoryInfo directory)
                directory.MoveTo(target);
            else
                ((FileInfo)entry).MoveTo(target);
        }
        Directory.Delete(allocationDirectory);
        Directory.Move(_directory, allocationDirectory);
        return SandboxLayout.WorkDirectory;
    }

    /// <summary>Kills what is left of a discarded standby and removes its cgroup and directory.</summary>
    public async Task DestroyAsync()
    {
        if (Cgroup is not null)
            await Cgroup.DestroyAsync(CancellationToken.None).ConfigureAwait(false);
        if (_directory is not null && Directory.Exists(_directory))
            Directory.Delete(_directory, recursive: true);
    }

    /// <summary>Gives the process its task: one JSON line with the working directory and the whole environment; then stdin closes.</summary>
    public void HandOff(string workDirectory, IReadOnlyDictionary<string, string> environment)
    {
        using var line = new MemoryStream();
        using (var json = new Utf8JsonWriter(line))
        {
            json.WriteStartObject();
            json.WriteString("workDirectory", workDirectory);
            json.WriteStartObject("environment");
            foreach (var (name, value) in environment)
                json.WriteString(name, value);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        Process.StandardInput.WriteLine(Encoding.UTF8.GetString(line.ToArray()));
        Process.StandardInput.Close();
    }

    /// <summary>The variables a standby starts with: the task's, less the per-task <c>DET_*</c> ones.</summary>
    public static Dictionary<string, string> BaseOf(IReadOnlyDictionary<string, string> environment) =>
        environment.Where(e => !e.Key.StartsWith("DET_", StringComparison.Ordinal)).ToDictionary(StringComparer.Ordinal);

    private static async Task<bool> ReadReadyLineAsync(Process process)
    {
        try
        {
            return await process.StandardOutput.ReadLineAsync().ConfigureAwait(false) == ReadyLine;
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            return false;
        }
    }

    private static bool SameBase(Dictionary<string, string> a, IReadOnlyDictionary<string, string> b) =>
        a.Count == b.Count && a.All(e => b.TryGetValue(e.Key, out var value) && value == e.Value);
}

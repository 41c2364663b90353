using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Determinant.Agent.Hosting;
using Determinant.Agent.Sandbox;
using Determinant.Agent.Slots;
using Determinant.Protocol.Agent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Determinant.Agent.Tasks;

/// <summary>
/// Starts a task process in its own session and process group, so a kill reaches everything it started and an agent
/// restart does not take it down. .NET cannot call setsid(2) between fork and exec, so the process is started through
/// util-linux's <c>setsid</c>, which execs the command in place: the process keeps the pid we see, and that pid is
/// also its group id. Without <c>setsid</c> on PATH the command starts directly, and kills reach only the process.
/// Sandboxed (the default), the command is the task's sandbox (<see cref="TaskSandbox"/>) around the task's argv.
/// </summary>
/// <remarks>
/// For the harness (<c>dotnet …/determinant-harness.dll</c>) it keeps one process started ahead of need
/// (<see cref="StandbyHarness"/>, agent option <c>standby_harness</c>): a launch that matches it gets that process, which
/// has already paid for runtime start, libtorch load and JIT, and a new standby starts for the next launch. A standby
/// runs in the sandbox of the launch it was prepared after, with a fresh working directory that becomes the next
/// matching allocation's.
/// </remarks>
internal sealed partial class ProcessLauncher(IOptions<AgentOptions> options, TaskSandbox sandbox, ILogger<ProcessLauncher> logger) : IDisposable
{
    private const string HarnessProgram = "determinant-harness.dll";
    private readonly string? _setsid = SlotDiscovery.FindOnPath("setsid");
    private readonly Lock _gate = new();
    private StandbyHarness? _standby;

    /// <summary>True when started processes lead their own process group.</summary>
    public bool StartsProcessGroups => _setsid is not null;

    /// <exception cref="ArgumentException">The launch cannot run (an empty argv, a mount the agent cannot show).</exception>
    /// <exception cref="IOException">Its cgroup cannot be made.</exception>
    public TaskProcess Start(TaskContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var argv = context.Launch.Argv;
        if (argv.Count == 0)
            throw new ArgumentException("the launch command has an empty argv");
        var environment = TaskEnvironment.Build(context);
        var spec = context.Sandbox;
        if (spec is not null)
        {
            TaskSandbox.Adjust(environment, spec.User);
            // Each rank has a /dev/shm of its own: NCCL's shared-memory transport between them cannot work.
            if (context.Worker is not null)
                environment.TryAdd("NCCL_SHM_DISABLE", "1");
        }
        else if (Unsandboxable(context.Launch.Mounts, context.WorkDirectory) is { } failure)
            throw new ArgumentException(failure);
        var name = CgroupName(context);
        var hook = File.Exists(Path.Combine(context.WorkDirectory, SandboxArgv.StartupHook));
        if (!IsHarness(argv) || !options.Value.StandbyHarness || (spec is not null && hook))
            return StartTask(argv, context.WorkDirectory, environment, spec, name);

        TaskProcess process;
        var prepareNext = true;
        lock (_gate)
        {
            var standby = _standby;
            if (standby is not null && standby.IsReady && standby.Fits(argv, environment, spec))
            {
                _standby = null;
                try
                {
                    var visible = standby.Adopt(context.WorkDirectory);
                    standby.HandOff(visible, environment);
                    process = new TaskProcess(standby.Process, standby.Cgroup);
                    LogHandedOff(logger, standby.Process.Id, context.Launch.AllocationId);
                }
                catch (IOException)
                {
                    // It died between the check and the handoff, or its directory could not become the allocation's:
                    // start the task the ordinary way.
                    Discard(standby);
                    process = StartTask(argv, context.WorkDirectory, environment, spec, name);
                }
            }
            else
            {
                if (standby is not null && standby.Fits(argv, environment, spec))
                {
                    prepareNext = false; // still warming up: it stays for the next launch
                }
                else if (standby is not null)
                {
                    _standby = null;
                    Discard(standby);
                }
                process = StartTask(argv, context.WorkDirectory, environment, spec, name);
            }
        }
        if (prepareNext)
            _ = Task.Run(() => Prepare(argv, context.WorkDirectory, StandbyHarness.BaseOf(environment), spec));
        return process;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_standby is { } standby)
                Discard(standby);
            _standby = null;
        }
    }

    private static bool IsHarness(IReadOnlyList<string> argv) =>
        argv.Count == 2 && argv[1].EndsWith(HarnessProgram, StringComparison.Ordinal) && Path.GetFileName(argv[0]) == "dotnet";

    private static string CgroupName(TaskContext context) =>
        context.Launch.AllocationId + "." + (context.Worker?.Rank ?? context.Launch.RankId ?? 0).ToString(CultureInfo.InvariantCulture);

    /// <summary>Unsandboxed, a task sees the host as it is: a mount that shows a host path elsewhere cannot be made.</summary>
    private static string? Unsandboxable(IReadOnlyList<TaskMount>? mounts, string workDirectory) =>
        (mounts ?? []).Where(m => !string.Equals(Path.TrimEndingDirectorySeparator(Path.GetFullPath(m.HostPath)),
                Path.TrimEndingDirectorySeparator(Path.GetFullPath(m.ContainerPath, workDirectory)), StringComparison.Ordinal))
            .Select(m => $"bind mount {m.HostPath} -> {m.ContainerPath}: showing a host path at another path needs the sandbox, and this agent runs unsandboxed")
            .FirstOrDefault();

    /// <summary>Starts a task in its sandbox (or, unsandboxed, as it is) in <paramref name="hostWorkDirectory"/>.</summary>
    private TaskProcess StartTask(IReadOnlyList<string> argv, string hostWorkDirectory, IReadOnlyDictionary<string, string> environment,
        SandboxSpec? spec, string cgroupName, bool standby = false)
    {
        if (spec is null)
            return new TaskProcess(StartProcess(argv, hostWorkDirectory, environment, standby), null);
        var (sandboxed, cgroup) = sandbox.Wrap(spec, hostWorkDirectory, cgroupName, argv);
        try
        {
            return new TaskProcess(StartProcess(sandboxed, hostWorkDirectory, environment, standby), cgroup);
        }
        catch
        {
            cgroup.Remove();
            throw;
        }
    }

    /// <summary>
    /// Starts the standby for the next launch like this one. Unsandboxed it waits in the agent's work root; sandboxed, in
    /// a fresh directory of its own in the same sandbox, which becomes the working directory of the allocation it serves.
    /// </summary>
    private void Prepare(IReadOnlyList<string> argv, string workDirectory, Dictionary<string, string> baseEnvironment, SandboxSpec? spec)
    {
        var root = Path.GetDirectoryName(workDirectory) ?? workDirectory;
        var environment = new Dictionary<string, string>(baseEnvironment) { ["DET_STANDBY"] = "1" };
        string? directory = null;
        try
        {
            TaskProcess process;
            if (spec is null)
            {
                process = StartTask(argv, root, environment, null, "", standby: true);
            }
            else
            {
                var id = Guid.NewGuid().ToString("N")[..12];
                directory = Path.Combine(root, ".standby-" + id);
                Directory.CreateDirectory(directory);
                sandbox.PrepareHost(spec with { Mounts = [] }, directory);
                process = StartTask(argv, directory, environment, spec, "standby-" + id, standby: true);
            }
            lock (_gate)
            {
                if (_standby is { } older)
                    Discard(older);
                _standby = new StandbyHarness(process, [.. argv], baseEnvironment, spec, directory);
                _ = _standby.Ready.ContinueWith(t => LogStandbyReady(logger, process.Process.Id, t.Result ? "is ready" : "did not become ready"),
                    CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            }
        }
        catch (Exception e) when (e is Win32Exception or InvalidOperationException or IOException or ArgumentException or UnauthorizedAccessException)
        {
            if (directory is not null && Directory.Exists(directory))
                Directory.Delete(directory, recursive: true);
            LogStandbyFailed(logger, e.Message);
        }
    }

    private static void Discard(StandbyHarness standby)
    {
        try
        {
            // Closing stdin ends a waiting standby cleanly; a kill makes sure.
            standby.Process.StandardInput.Close();
            standby.Process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or Win32Exception)
        {
            // Already gone.
        }
        standby.Process.Dispose();
        _ = standby.DestroyAsync();
    }

    private Process StartProcess(IReadOnlyList<string> argv, string workDirectory, IReadOnlyDictionary<string, string> environment, bool standby)
    {
        var start = new ProcessStartInfo
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            WorkingDirectory = workDirectory,
            FileName = _setsid ?? argv[0],
        };
        if (_setsid is not null)
        {
            start.ArgumentList.Add("--");
            start.ArgumentList.Add(argv[0]);
        }
        foreach (var argument in argv.Skip(1))
            start.ArgumentList.Add(argument);
        start.Environment.Clear();
        foreach (var (name, value) in environment)
            start.Environment[name] = value;

        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start '{argv[0]}'");
        // A task reads no input; closing it gives EOF instead of a hang on the agent's terminal. A standby keeps it open
        // for its handoff line.
        if (!standby)
            process.StandardInput.Close();
        return process;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Standby harness process {ProcessId} takes allocation {AllocationId}")]
    private static partial void LogHandedOff(ILogger logger, int processId, string allocationId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Standby harness process {ProcessId} {Outcome}")]
    private static partial void LogStandbyReady(ILogger logger, int processId, string outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not start a standby harness process: {Reason}")]
    private static partial void LogStandbyFailed(ILogger logger, string reason);
}

using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using Determinant.Agent.Hosting;
using Determinant.Agent.Slots;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Determinant.Agent.Tasks;

/// <summary>
/// Starts a task process in its own session and process group, so a kill reaches everything it started and an agent
/// restart does not take it down. .NET cannot call setsid(2) between fork and exec, so the process is started through
/// util-linux's <c>setsid</c>, which execs the command in place: the process keeps the pid we see, and that pid is
/// also its group id. Without <c>setsid</c> on PATH the command starts directly, and kills reach only the process.
/// </summary>
/// <remarks>
/// For the harness (<c>dotnet …/determinant-harness.dll</c>) it keeps one process started ahead of need
/// (<see cref="StandbyHarness"/>, agent option <c>standby_harness</c>): a launch that matches it gets that process, which
/// has already paid for runtime start, libtorch load and JIT, and a new standby starts for the next launch.
/// </remarks>
internal sealed partial class ProcessLauncher(IOptions<AgentOptions> options, ILogger<ProcessLauncher> logger) : IDisposable
{
    private const string HarnessProgram = "determinant-harness.dll";
    private readonly string? _setsid = SlotDiscovery.FindOnPath("setsid");
    private readonly string? _bwrap = SlotDiscovery.FindOnPath("bwrap");
    private readonly string _env = SlotDiscovery.FindOnPath("env") ?? "/usr/bin/env";
    private readonly Lock _gate = new();
    private StandbyHarness? _standby;

    /// <summary>True when started processes lead their own process group.</summary>
    public bool StartsProcessGroups => _setsid is not null;

    public Process Start(TaskContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var argv = context.Launch.Argv;
        if (argv.Count == 0)
            throw new ArgumentException("the launch command has an empty argv");
        var environment = TaskEnvironment.Build(context);
        var remapped = TaskSandbox.Remapped(context.Launch.Mounts, context.WorkDirectory);
        if (remapped.Count > 0)
        {
            // A host path shown somewhere else: the task runs in bubblewrap (never the standby, which runs unsandboxed).
            if (TaskSandbox.Check(remapped, _bwrap, p => Path.Exists(p)) is { } failure)
                throw new ArgumentException(failure);
            var sandboxed = TaskSandbox.Argv(_env, _bwrap!, TaskSandbox.ReadRoot(), context.WorkDirectory, remapped, argv);
            return StartProcess(sandboxed, context.WorkDirectory, environment, standby: false);
        }
        if (!IsHarness(argv) || !options.Value.StandbyHarness)
            return StartProcess(argv, context.WorkDirectory, environment, standby: false);

        Process process;
        var prepareNext = true;
        lock (_gate)
        {
            var standby = _standby;
            if (standby is not null && standby.IsReady && standby.Fits(argv, environment))
            {
                _standby = null;
                try
                {
                    standby.HandOff(context.WorkDirectory, environment);
                    process = standby.Process;
                    LogHandedOff(logger, process.Id, context.Launch.AllocationId);
                }
                catch (IOException)
                {
                    // It died between the check and the handoff: start the task the ordinary way.
                    Discard(standby);
                    process = StartProcess(argv, context.WorkDirectory, environment, standby: false);
                }
            }
            else
            {
                if (standby is not null && standby.Fits(argv, environment))
                {
                    prepareNext = false; // still warming up: it stays for the next launch
                }
                else if (standby is not null)
                {
                    _standby = null;
                    Discard(standby);
                }
                process = StartProcess(argv, context.WorkDirectory, environment, standby: false);
            }
        }
        if (prepareNext)
            _ = Task.Run(() => Prepare(argv, context.WorkDirectory, StandbyHarness.BaseOf(environment)));
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

    /// <summary>Starts the standby for the next launch like this one; it waits in the agent's work root until handed a task.</summary>
    private void Prepare(IReadOnlyList<string> argv, string workDirectory, Dictionary<string, string> baseEnvironment)
    {
        var root = Path.GetDirectoryName(workDirectory) ?? workDirectory;
        try
        {
            var process = StartProcess(argv, root, new Dictionary<string, string>(baseEnvironment) { ["DET_STANDBY"] = "1" }, standby: true);
            lock (_gate)
            {
                if (_standby is { } older)
                    Discard(older);
                _standby = new StandbyHarness(process, [.. argv], baseEnvironment);
                _ = _standby.Ready.ContinueWith(t => LogStandbyReady(logger, process.Id, t.Result ? "is ready" : "did not become ready"),
                    CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
            }
        }
        catch (Exception e) when (e is Win32Exception or InvalidOperationException or IOException)
        {
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

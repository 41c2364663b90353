using System.ComponentModel;
using System.Diagnostics;
using Determinant.Protocol.Agent;
using Determinant.Protocol.CoreApi;

namespace Determinant.Agent.Tasks;

/// <summary>
/// One allocation on this agent, from the launch command to the reported exit: STARTING (working directory and model
/// definition), RUNNING (the process and its output pumps), EXITED (after every output line reached the master).
/// </summary>
internal sealed partial class TaskRun(LaunchCommand launch, TaskRuntime runtime)
{
    /// <summary>How long output pipes may stay open after the process exited (a daemon it started that left its group).</summary>
    private static readonly TimeSpan PipeDrainLimit = TimeSpan.FromSeconds(5);

    private readonly Lock _gate = new();
    private readonly string _containerId = launch.ContainerId ?? Guid.NewGuid().ToString("N");
    private Process? _process;
    private bool _killRequested;
    private int? _lastSignal;

    public string AllocationId => launch.AllocationId;

    public string TaskId => launch.TaskId;

    public string State { get; private set; } = AllocationStates.Starting;

    public int? ExitCode { get; private set; }

    public async Task RunAsync(CancellationToken abandon)
    {
        Report(new AllocationEvent(AllocationStates.Starting, runtime.Time.GetUtcNow()));
        string workDirectory;
        try
        {
            workDirectory = await runtime.WorkDirectories.PrepareAsync(launch, abandon).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or HttpRequestException
            or FormatException or ArgumentException or OperationCanceledException && !abandon.IsCancellationRequested)
        {
            await ExitAsync(null, $"the agent could not prepare the working directory: {e.Message}", abandon).ConfigureAwait(false);
            return;
        }

        Process? process = null;
        string? failure = null;
        lock (_gate)
        {
            if (_killRequested)
            {
                failure = "killed before the process started";
            }
            else
            {
                try
                {
                    process = runtime.Launcher.Start(new TaskContext(
                        launch, runtime.Options.ResolvedAgentId, _containerId, workDirectory, runtime.Master, runtime.Slots, runtime.Options.PassEnv));
                    _process = process;
                    State = AllocationStates.Running;
                }
                catch (Exception e) when (e is Win32Exception or ArgumentException or InvalidOperationException)
                {
                    failure = $"the agent could not start '{(launch.Argv.Count > 0 ? launch.Argv[0] : "")}': {e.Message}";
                }
            }
        }
        if (process is null)
        {
            LogStartFailed(runtime.Logger, AllocationId, failure ?? "");
            await ExitAsync(null, failure, abandon).ConfigureAwait(false);
            return;
        }
        LogStarted(runtime.Logger, AllocationId, process.Id, workDirectory);
        Report(new AllocationEvent(AllocationStates.Running, runtime.Time.GetUtcNow()));
        await SuperviseAsync(process, abandon).ConfigureAwait(false);
    }

    /// <summary>SIGTERM to the process group, then SIGKILL after <paramref name="grace"/>; or SIGKILL at once.</summary>
    public void Kill(bool graceful, TimeSpan grace)
    {
        Process? process;
        lock (_gate)
        {
            if (State == AllocationStates.Exited)
                return;
            _killRequested = true;
            process = _process;
            if (process is null)
                return;
            Signal(process, graceful ? ProcessSignals.SigTerm : ProcessSignals.SigKill);
        }
        if (graceful)
            _ = EscalateAsync(process, grace);
    }

    private async Task SuperviseAsync(Process process, CancellationToken abandon)
    {
        var stdout = PumpAsync(process.StandardOutput, "stdout", abandon);
        var stderr = PumpAsync(process.StandardError, "stderr", abandon);
        await process.WaitForExitAsync(abandon).ConfigureAwait(false);
        int? signal;
        lock (_gate)
        {
            State = AllocationStates.Exited;
            ExitCode = process.ExitCode;
            signal = _lastSignal;
            // Whatever the task left behind in its group goes with it, and stops holding the output pipes open.
            if (runtime.Launcher.StartsProcessGroups)
                ProcessSignals.SignalGroup(process.Id, ProcessSignals.SigKill);
        }
        try
        {
            await Task.WhenAll(stdout, stderr).WaitAsync(PipeDrainLimit, runtime.Time, abandon).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            LogPipesOpen(runtime.Logger, AllocationId);
        }
        var bySignal = signal is { } s && process.ExitCode == 128 + s ? ProcessSignals.Name(s) : null;
        LogExited(runtime.Logger, AllocationId, process.ExitCode);
        process.Dispose();
        await ExitAsync(ExitCode, bySignal is null ? null : $"killed by the agent with {bySignal}", abandon, bySignal).ConfigureAwait(false);
    }

    private async Task PumpAsync(StreamReader reader, string stdtype, CancellationToken abandon)
    {
        try
        {
            while (await reader.ReadLineAsync(abandon).ConfigureAwait(false) is { } line)
                await runtime.Logs.WriteAsync(Line(line, stdtype, "task"), abandon).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The pipe went away with the process; what was read is queued.
        }
    }

    private async Task EscalateAsync(Process process, TimeSpan grace)
    {
        try
        {
            await process.WaitForExitAsync().WaitAsync(grace, runtime.Time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            lock (_gate)
            {
                if (State != AllocationStates.Exited)
                    Signal(process, ProcessSignals.SigKill);
            }
        }
    }

    private void Signal(Process process, int signal)
    {
        _lastSignal = signal;
        LogSignal(runtime.Logger, AllocationId, signal);
        if (runtime.Launcher.StartsProcessGroups)
            ProcessSignals.SignalGroup(process.Id, signal);
        else if (signal == ProcessSignals.SigKill)
            process.Kill(entireProcessTree: true);
        else
            ProcessSignals.SignalProcess(process.Id, signal);
    }

    /// <summary>Ships the agent's own note (if any), waits until every line is shipped, removes the working directory, then reports EXITED and waits until that lands.</summary>
    private async Task ExitAsync(int? exitCode, string? message, CancellationToken abandon, string? signal = null)
    {
        lock (_gate)
            State = AllocationStates.Exited;
        if (message is not null)
            await runtime.Logs.WriteAsync(Line(message, "stderr", "agent"), abandon).ConfigureAwait(false);
        await runtime.Logs.FlushAsync(abandon).ConfigureAwait(false);
        try
        {
            runtime.WorkDirectories.Remove(AllocationId);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogCleanupFailed(runtime.Logger, AllocationId, e.Message);
        }
        await runtime.Events.ReportAsync(
            AllocationId, new AllocationEvent(AllocationStates.Exited, runtime.Time.GetUtcNow(), exitCode, signal, message), abandon).ConfigureAwait(false);
    }

    private TaskLog Line(string text, string stdtype, string source) => new(
        launch.TaskId, launch.AllocationId, runtime.Options.ResolvedAgentId, _containerId, launch.RankId,
        runtime.Time.GetUtcNow(), "LOG_LEVEL_INFO", stdtype, source, text + "\n");

    private void Report(AllocationEvent allocationEvent) =>
        _ = runtime.Events.ReportAsync(AllocationId, allocationEvent, CancellationToken.None);
}

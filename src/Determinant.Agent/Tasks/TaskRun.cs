using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using Determinant.Agent.Sandbox;
using Determinant.Protocol.Agent;
using Determinant.Protocol.CoreApi;

namespace Determinant.Agent.Tasks;

/// <summary>
/// One allocation on this agent, from the launch command to the reported exit: STARTING (working directory and model
/// definition), RUNNING (the processes and their output pumps), EXITED (after every output line reached the master).
/// </summary>
/// <remarks>
/// A distributed trial's launch starts one worker process per slot (<see cref="TaskWorkers"/>), all together; their
/// lines are tagged with their rank. When a worker fails, the others are stopped and the allocation exits with the
/// failed worker's code, so the whole allocation ends and the trial restarts as a unit.
/// </remarks>
internal sealed partial class TaskRun(LaunchCommand launch, TaskRuntime runtime)
{
    /// <summary>How long output pipes may stay open after the process exited (a daemon it started that left its group).</summary>
    private static readonly TimeSpan PipeDrainLimit = TimeSpan.FromSeconds(5);

    private readonly Lock _gate = new();
    private readonly string _containerId = launch.ContainerId ?? Guid.NewGuid().ToString("N");
    private readonly List<(Process Process, TaskWorker Worker, TaskCgroup? Cgroup)> _processes = [];
    private SandboxSpec? _sandbox;
    private bool _oomKilled;
    private bool _killRequested;
    private int? _lastSignal;
    private bool _multiWorker;
    private IReadOnlyDictionary<string, int> _ports = new Dictionary<string, int>();

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
        if (runtime.Sandbox.Enabled && PrepareSandbox(workDirectory) is { } refused)
        {
            LogStartFailed(runtime.Logger, AllocationId, refused);
            await ExitAsync(null, refused, abandon).ConfigureAwait(false);
            return;
        }

        string? failure = null;
        lock (_gate)
        {
            if (_killRequested)
                failure = "killed before the process started";
            else
                failure = StartWorkers(workDirectory);
        }
        if (failure is not null)
        {
            LogStartFailed(runtime.Logger, AllocationId, failure);
            await ExitAsync(null, failure, abandon).ConfigureAwait(false);
            return;
        }
        foreach (var (process, _, _) in _processes)
            LogStarted(runtime.Logger, AllocationId, process.Id, workDirectory);
        Report(new AllocationEvent(AllocationStates.Running, runtime.Time.GetUtcNow(), Ports: _ports.Count > 0 ? _ports : null));
        await SuperviseAsync(abandon).ConfigureAwait(false);
    }

    /// <summary>SIGTERM to the process groups, then SIGKILL after <paramref name="grace"/>; or SIGKILL at once.</summary>
    public void Kill(bool graceful, TimeSpan grace)
    {
        List<Process> processes;
        lock (_gate)
        {
            if (State == AllocationStates.Exited)
                return;
            _killRequested = true;
            processes = [.. _processes.Select(p => p.Process).Where(p => !HasExited(p))];
            foreach (var process in processes)
                Signal(process, graceful ? ProcessSignals.SigTerm : ProcessSignals.SigKill);
        }
        if (graceful)
        {
            foreach (var process in processes)
                _ = EscalateAsync(process, grace);
        }
    }

    /// <summary>The launch's sandbox, with the host side readied (user, storage, working directory owner); why not, or null.</summary>
    private string? PrepareSandbox(string workDirectory)
    {
        try
        {
            _sandbox = runtime.Sandbox.SpecOf(launch);
            runtime.Sandbox.PrepareHost(_sandbox, workDirectory);
            return null;
        }
        catch (Exception e) when (e is ArgumentException or IOException or UnauthorizedAccessException)
        {
            return $"the agent could not set up the task's sandbox: {e.Message}";
        }
    }

    /// <summary>Starts every worker, or none: a failed start kills those already started. Returns why it failed, or null.</summary>
    private string? StartWorkers(string workDirectory)
    {
        IReadOnlyList<TaskWorker> workers;
        try
        {
            workers = TaskWorkers.Plan(launch, runtime.Master);
        }
        catch (ArgumentException e)
        {
            return $"the agent could not plan the workers: {e.Message}";
        }
        _multiWorker = workers.Count > 1 || TaskWorkers.IsGang(launch);
        try
        {
            _ports = runtime.Ports.Reserve(launch.Ports);
        }
        catch (Exception e) when (e is ArgumentException or SocketException)
        {
            return $"the agent could not pick the task's ports: {e.Message}";
        }
        foreach (var worker in workers)
        {
            try
            {
                var started = runtime.Launcher.Start(new TaskContext(
                    launch, runtime.Options.ResolvedAgentId, _containerId, workDirectory, runtime.Master, runtime.Slots, runtime.Options.PassEnv,
                    _multiWorker ? worker : null, _ports, runtime.Programs, runtime.InstallEnvironment, _sandbox));
                _processes.Add((started.Process, worker, started.Cgroup));
            }
            catch (Exception e) when (e is Win32Exception or ArgumentException or InvalidOperationException or IOException)
            {
                foreach (var (started, _, cgroup) in _processes)
                {
                    Signal(started, ProcessSignals.SigKill, requested: false);
                    started.WaitForExit();
                    started.Dispose();
                    cgroup?.DestroyAsync(CancellationToken.None).GetAwaiter().GetResult();
                }
                _processes.Clear();
                runtime.Ports.Release(_ports.Values);
                _ports = new Dictionary<string, int>();
                return $"the agent could not start '{(launch.Argv.Count > 0 ? launch.Argv[0] : "")}'{(_multiWorker ? $" for rank {worker.Rank}" : "")}: {e.Message}";
            }
        }
        State = AllocationStates.Running;
        return null;
    }

    private async Task SuperviseAsync(CancellationToken abandon)
    {
        var pumps = _processes.SelectMany(p => new[]
        {
            PumpAsync(p.Process.StandardOutput, "stdout", p.Worker, abandon),
            PumpAsync(p.Process.StandardError, "stderr", p.Worker, abandon),
        }).ToList();
        // A list, not a dictionary keyed by the wait: for a process that has already exited, WaitForExitAsync returns the
        // one shared completed task, so two workers that ended at once would collide as keys.
        var waits = _processes.Select(p => (Wait: p.Process.WaitForExitAsync(abandon), p.Process, p.Worker, p.Cgroup)).ToList();
        (int Code, TaskWorker Worker)? failed = null;
        while (waits.Count > 0)
        {
            var done = await Task.WhenAny(waits.Select(w => w.Wait)).ConfigureAwait(false);
            await done.ConfigureAwait(false);
            var index = waits.FindIndex(w => w.Wait == done);
            var (_, process, worker, cgroup) = waits[index];
            waits.RemoveAt(index);
            if (cgroup is not null)
                await EndCgroupAsync(cgroup).ConfigureAwait(false);
            lock (_gate)
            {
                // Whatever the worker left behind in its group goes with it, and stops holding the output pipes open.
                if (runtime.Launcher.StartsProcessGroups)
                    ProcessSignals.SignalGroup(process.Id, ProcessSignals.SigKill);
                if (process.ExitCode != 0 && failed is null)
                {
                    failed = (process.ExitCode, worker);
                    // One worker gone stops the allocation: the others would wait for it in their next collective.
                    foreach (var (_, other, _, _) in waits)
                    {
                        if (!HasExited(other))
                            Signal(other, ProcessSignals.SigTerm, requested: false);
                    }
                    if (waits.Count > 0)
                    {
                        foreach (var (_, other, _, _) in waits)
                            _ = EscalateAsync(other, runtime.Options.KillGrace, requested: false);
                    }
                }
            }
            if (_multiWorker)
                LogWorkerExited(runtime.Logger, AllocationId, worker.Rank, process.ExitCode);
        }
        int? signal;
        lock (_gate)
        {
            State = AllocationStates.Exited;
            ExitCode = failed?.Code ?? 0;
            signal = _lastSignal;
        }
        try
        {
            await Task.WhenAll(pumps).WaitAsync(PipeDrainLimit, runtime.Time, abandon).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            LogPipesOpen(runtime.Logger, AllocationId);
        }
        var exitCode = ExitCode.Value;
        var bySignal = signal is { } s && exitCode == 128 + s ? ProcessSignals.Name(s) : null;
        LogExited(runtime.Logger, AllocationId, exitCode);
        foreach (var (process, _, _) in _processes)
            process.Dispose();
        string? message = _oomKilled && _sandbox is not null ? TaskSandbox.OomMessage(_sandbox)
            : bySignal is not null ? $"killed by the agent with {bySignal}"
            : _multiWorker && failed is { } f ? string.Create(CultureInfo.InvariantCulture,
                $"rank {f.Worker.Rank} exited with code {f.Code}") + (_processes.Count > 1 ? string.Create(CultureInfo.InvariantCulture,
                $"; the agent stopped the other {_processes.Count - 1} worker(s) of the allocation") : "")
            : null;
        await ExitAsync(exitCode, message, abandon, bySignal).ConfigureAwait(false);
    }

    /// <summary>A worker ended: nothing it started survives it (its whole cgroup is killed), and an OOM kill is noted.</summary>
    private async Task EndCgroupAsync(TaskCgroup cgroup)
    {
        try
        {
            await cgroup.KillAllAsync(CancellationToken.None).ConfigureAwait(false);
            if (cgroup.OomKilled())
                _oomKilled = true;
            cgroup.Remove();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogCleanupFailed(runtime.Logger, AllocationId, $"cgroup {cgroup.Name}: {e.Message}");
        }
    }

    private async Task PumpAsync(StreamReader reader, string stdtype, TaskWorker worker, CancellationToken abandon)
    {
        try
        {
            while (await reader.ReadLineAsync(abandon).ConfigureAwait(false) is { } line)
                await runtime.Logs.WriteAsync(Line(line, stdtype, "task", worker), abandon).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The pipe went away with the process; what was read is queued.
        }
    }

    private async Task EscalateAsync(Process process, TimeSpan grace, bool requested = true)
    {
        try
        {
            await process.WaitForExitAsync().WaitAsync(grace, runtime.Time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            lock (_gate)
            {
                if (State != AllocationStates.Exited && !HasExited(process))
                    Signal(process, ProcessSignals.SigKill, requested);
            }
        }
        catch (InvalidOperationException)
        {
            // Disposed after the allocation exited.
        }
    }

    private static bool HasExited(Process process)
    {
        try
        {
            return process.HasExited;
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }

    /// <param name="process">The worker.</param>
    /// <param name="signal">The signal.</param>
    /// <param name="requested">A kill the master asked for, which the exit then names; false when the agent stops the peers of a failed worker.</param>
    private void Signal(Process process, int signal, bool requested = true)
    {
        if (requested)
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
        runtime.Ports.Release(_ports.Values);
        if (message is not null)
            await runtime.Logs.WriteAsync(Line(message, "stderr", "agent", null), abandon).ConfigureAwait(false);
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

    /// <summary>A log line; a worker of a multi-process allocation tags it with its rank, in the rank field and as <c>[rank=N]</c>.</summary>
    private TaskLog Line(string text, string stdtype, string source, TaskWorker? worker) => new(
        launch.TaskId, launch.AllocationId, runtime.Options.ResolvedAgentId, _containerId, worker is not null && _multiWorker ? worker.Rank : launch.RankId,
        runtime.Time.GetUtcNow(), "LOG_LEVEL_INFO", stdtype, source,
        (worker is not null && _multiWorker ? string.Create(CultureInfo.InvariantCulture, $"[rank={worker.Rank}] ") : "") + text + "\n");

    private void Report(AllocationEvent allocationEvent) =>
        _ = runtime.Events.ReportAsync(AllocationId, allocationEvent, CancellationToken.None);
}

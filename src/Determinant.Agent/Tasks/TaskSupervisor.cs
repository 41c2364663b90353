using System.Collections.Concurrent;
using Determinant.Agent.Hosting;
using Determinant.Agent.Master;
using Determinant.Agent.Reporting;
using Determinant.Agent.Slots;
using Determinant.Protocol.Agent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Determinant.Agent.Tasks;

/// <summary>The allocations on this agent: starts them, kills them, and lists them when the agent (re-)registers.</summary>
internal sealed partial class TaskSupervisor : IDisposable
{
    private readonly ConcurrentDictionary<string, (TaskRun Run, Task Completion)> _runs = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _abandon = new();
    private readonly TaskRuntime _runtime;
    private readonly ILogger<TaskSupervisor> _logger;

    public TaskSupervisor(
        IOptions<AgentOptions> options, MasterClient master, SlotDiscovery slots, ProcessLauncher launcher, WorkDirectories workDirectories,
        LogShipper logs, EventReporter events, TimeProvider time, Sandbox.TaskSandbox sandbox, ILogger<TaskSupervisor> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(master);
        ArgumentNullException.ThrowIfNull(slots);
        _runtime = new TaskRuntime(options.Value, master.BaseAddress, slots.Slots, launcher, workDirectories, logs, events, time, logger, new TaskPorts(), sandbox);
        _logger = logger;
    }

    /// <summary>Starts the allocation in the background; a launch of an allocation already here is a repeat and is ignored.</summary>
    public void Launch(LaunchCommand launch)
    {
        ArgumentNullException.ThrowIfNull(launch);
        var run = new TaskRun(launch, _runtime);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var completion = started.Task.ContinueWith(_ => run.RunAsync(_abandon.Token), TaskScheduler.Default).Unwrap();
        if (!_runs.TryAdd(launch.AllocationId, (run, completion)))
        {
            LogRepeatedLaunch(_logger, launch.AllocationId);
            return;
        }
        _ = completion.ContinueWith(t => Forget(launch.AllocationId, t), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        started.SetResult();
    }

    public void Kill(KillCommand kill)
    {
        ArgumentNullException.ThrowIfNull(kill);
        if (!_runs.TryGetValue(kill.AllocationId, out var entry))
        {
            LogUnknownKill(_logger, kill.AllocationId);
            return;
        }
        var grace = kill.GracePeriodSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : _runtime.Options.KillGrace;
        entry.Run.Kill(kill.Graceful, grace);
    }

    /// <summary>What the agent still holds: running allocations, and exited ones whose exit the master has not acknowledged yet.</summary>
    public IReadOnlyList<AgentAllocation> Allocations() =>
        [.. _runs.Values.Select(e => new AgentAllocation(e.Run.AllocationId, e.Run.TaskId, e.Run.State, e.Run.ExitCode))
            .OrderBy(a => a.AllocationId, StringComparer.Ordinal)];

    /// <summary>On agent shutdown: kills every task gracefully and waits for their exits to be reported, until <paramref name="cancellationToken"/>.</summary>
    public async Task StopAllAsync(CancellationToken cancellationToken)
    {
        var entries = _runs.Values.ToList();
        foreach (var entry in entries)
            entry.Run.Kill(graceful: true, _runtime.Options.KillGrace);
        try
        {
            await Task.WhenAll(entries.Select(e => e.Completion)).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await _abandon.CancelAsync().ConfigureAwait(false);
        }
    }

    public void Dispose() => _abandon.Dispose();

    private void Forget(string allocationId, Task completion)
    {
        _runs.TryRemove(allocationId, out _);
        if (completion.Exception is { } failure)
            LogRunFailed(_logger, failure.GetBaseException(), allocationId);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Allocation {AllocationId} is already on this agent; the repeated launch is ignored")]
    private static partial void LogRepeatedLaunch(ILogger logger, string allocationId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Kill of allocation {AllocationId}, which is not on this agent (any more), ignored")]
    private static partial void LogUnknownKill(ILogger logger, string allocationId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Supervising allocation {AllocationId} failed")]
    private static partial void LogRunFailed(ILogger logger, Exception exception, string allocationId);
}

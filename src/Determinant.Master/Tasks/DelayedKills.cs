using System.Collections.Concurrent;
using System.Data.Common;
using Determinant.Master.Errors;

namespace Determinant.Master.Tasks;

/// <summary>
/// Kills that wait on the injected clock: each runs its callback once its delay has passed, unless the allocation exited
/// first. One timer per allocation and reason; a second request for the same pair keeps the first deadline.
/// </summary>
internal sealed partial class DelayedKills(TimeProvider time, ILogger<DelayedKills> logger) : IDisposable
{
    private readonly ConcurrentDictionary<(string AllocationId, DelayedKillReason Reason), CancellationTokenSource> _timers = new();
    private readonly CancellationTokenSource _disposed = new();

    /// <summary>Allocations with a timer running, for tests and diagnostics.</summary>
    public int Count => _timers.Count;

    public void Start(string allocationId, DelayedKillReason reason, TimeSpan delay, Func<CancellationToken, Task> kill)
    {
        if (_disposed.IsCancellationRequested)
            return;
        var timer = CancellationTokenSource.CreateLinkedTokenSource(_disposed.Token);
        if (!_timers.TryAdd((allocationId, reason), timer))
        {
            timer.Dispose();
            return;
        }
        _ = RunAsync(allocationId, reason, delay, kill, timer);
    }

    /// <summary>The allocation exited: its timers are moot.</summary>
    public void Cancel(string allocationId)
    {
        foreach (var key in _timers.Keys.Where(k => k.AllocationId == allocationId))
        {
            if (!_timers.TryRemove(key, out var timer))
                continue;
            try
            {
                timer.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // It fired and finished at the same moment.
            }
        }
    }

    private async Task RunAsync(string allocationId, DelayedKillReason reason, TimeSpan delay, Func<CancellationToken, Task> kill, CancellationTokenSource timer)
    {
        try
        {
            await Task.Delay(delay, time, timer.Token).ConfigureAwait(false);
            LogKilling(logger, allocationId, reason, delay.TotalSeconds);
            await kill(timer.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The allocation exited first, or the master is stopping.
        }
        catch (Exception e) when (e is DbException or MasterException or InvalidOperationException or ObjectDisposedException)
        {
            LogKillFailed(logger, allocationId, e);
        }
        finally
        {
            _timers.TryRemove(new KeyValuePair<(string, DelayedKillReason), CancellationTokenSource>((allocationId, reason), timer));
            timer.Dispose();
        }
    }

    public void Dispose()
    {
        _disposed.Cancel();
        _disposed.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Allocation {AllocationId} is still alive {Seconds} s after {Reason}; killing it")]
    private static partial void LogKilling(ILogger logger, string allocationId, DelayedKillReason reason, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "The delayed kill of allocation {AllocationId} failed")]
    private static partial void LogKillFailed(ILogger logger, string allocationId, Exception exception);
}

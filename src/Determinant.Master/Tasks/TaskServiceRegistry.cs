using System.Collections.Concurrent;
using System.Data.Common;
using Determinant.Master.Data;
using Determinant.Master.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace Determinant.Master.Tasks;

/// <summary>
/// The services of running tasks (a notebook's Jupyter, a TensorBoard): where each listens, and whether it answers yet.
/// An allocation's address is stored when its resource manager reports it running; the master then probes
/// <c>&lt;address&gt;/proxy/&lt;task id&gt;/</c> (services start with that base path, REFERENCE.md §7.5) until any
/// HTTP answer comes, and marks it ready. Readiness is kept in the database too, so a restarted master proxies at once.
/// </summary>
internal sealed partial class TaskServiceRegistry(IServiceScopeFactory scopes, TimeProvider time, ILogger<TaskServiceRegistry> logger) : IDisposable
{
    private static readonly TimeSpan FirstProbeInterval = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan LastProbeInterval = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, CancellationTokenSource> _probes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _readyWaits = new(StringComparer.Ordinal);
    private readonly HttpClient _probeClient = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false, UseCookies = false })
    {
        Timeout = TimeSpan.FromSeconds(5),
    };

    /// <summary>The allocation runs and its service listens at <paramref name="service"/>; probing starts.</summary>
    public async Task RunningAsync(string allocationId, Uri service, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(service);
        string? taskId;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MasterDbContext>();
            var address = service.GetLeftPart(UriPartial.Authority);
            await db.Allocations.Where(a => a.Id == allocationId && a.State != AllocationState.Terminated)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.ProxyAddress, address), cancellationToken).ConfigureAwait(false);
            taskId = await db.Allocations.AsNoTracking().Where(a => a.Id == allocationId && a.State != AllocationState.Terminated)
                .Select(a => a.TaskId).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        }
        if (taskId is not null)
            StartProbing(allocationId, taskId, service);
    }

    /// <summary>Probes an allocation whose service was not ready yet when the master started.</summary>
    public void Resume(string allocationId, string taskId, Uri service) => StartProbing(allocationId, taskId, service);

    private long _exits;

    /// <summary>Counts the allocations that ended: a cache of where services listen is good while it is unchanged.</summary>
    public long Exits => Interlocked.Read(ref _exits);

    /// <summary>The allocation ended: probing stops and waiters are released.</summary>
    public void Exited(string allocationId)
    {
        Interlocked.Increment(ref _exits);
        if (_probes.TryRemove(allocationId, out var probe))
        {
            probe.Cancel();
            probe.Dispose();
        }
        if (_readyWaits.TryRemove(allocationId, out var wait))
            wait.TrySetResult();
    }

    /// <summary>Completes when the allocation's service became ready or the allocation ended (whichever comes first).</summary>
    public Task WaitAsync(string allocationId) =>
        _readyWaits.GetOrAdd(allocationId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public void Dispose()
    {
        foreach (var probe in _probes.Values)
            probe.Cancel();
        _probeClient.Dispose();
    }

    private void StartProbing(string allocationId, string taskId, Uri service)
    {
        var stop = new CancellationTokenSource();
        if (!_probes.TryAdd(allocationId, stop))
        {
            stop.Dispose();
            return;
        }
        _ = ProbeAsync(allocationId, new Uri(service, $"/proxy/{Uri.EscapeDataString(taskId)}/"), stop.Token);
    }

    private async Task ProbeAsync(string allocationId, Uri target, CancellationToken stop)
    {
        var interval = FirstProbeInterval;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    using var response = await _probeClient.GetAsync(target, HttpCompletionOption.ResponseHeadersRead, stop).ConfigureAwait(false);
                    if ((int)response.StatusCode < 500)
                        break;
                }
                catch (HttpRequestException)
                {
                    // Not listening yet.
                }
                catch (TaskCanceledException) when (!stop.IsCancellationRequested)
                {
                    // The probe timed out; the service is still starting.
                }
                await Task.Delay(interval, time, stop).ConfigureAwait(false);
                interval = TimeSpan.FromTicks(Math.Min(interval.Ticks * 2, LastProbeInterval.Ticks));
            }
            await using (var scope = scopes.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<MasterDbContext>();
                await db.Allocations.Where(a => a.Id == allocationId && a.State != AllocationState.Terminated)
                    .ExecuteUpdateAsync(s => s.SetProperty(a => a.Ready, true), stop).ConfigureAwait(false);
            }
            LogReady(logger, allocationId, target);
        }
        catch (OperationCanceledException)
        {
            // The allocation ended first, or the master stops.
        }
        catch (DbException e)
        {
            LogProbeFailed(logger, allocationId, e);
        }
        finally
        {
            if (_probes.TryRemove(allocationId, out var probe))
                probe.Dispose();
            if (_readyWaits.TryRemove(allocationId, out var wait))
                wait.TrySetResult();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Allocation {AllocationId}: its service answers at {Target}")]
    private static partial void LogReady(ILogger logger, string allocationId, Uri target);

    [LoggerMessage(Level = LogLevel.Error, Message = "Allocation {AllocationId}: marking its service ready failed")]
    private static partial void LogProbeFailed(ILogger logger, string allocationId, Exception exception);
}

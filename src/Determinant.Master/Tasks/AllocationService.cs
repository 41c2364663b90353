using System.Collections.Concurrent;
using System.Data.Common;
using Determinant.Master.Data;
using Determinant.Master.Data.Entities;
using Determinant.Master.Errors;
using Determinant.Master.ResourceManagers;
using Microsoft.EntityFrameworkCore;

namespace Determinant.Master.Tasks;

/// <summary>
/// The life of every allocation, whatever its task: the owner's request goes to the resource manager; the manager's
/// events come back here, and this service hands each to the task's owner (<see cref="ITaskOwner"/>) at the points it
/// decides — start, what to run, exit — and keeps the rest itself: the stop flag and its long-polls, delayed kills,
/// the service address and readiness of tasks that serve, and the owners' kills.
/// </summary>
internal sealed partial class AllocationService(
    IServiceProvider services, IServiceScopeFactory scopes, IResourceManager resourceManager, PreemptionSignals signals, DelayedKills delayedKills,
    TaskServiceRegistry serviceRegistry, ILogger<AllocationService> logger) : IAllocationEvents
{
    private readonly ConcurrentDictionary<string, TaskType> _taskTypes = new(StringComparer.Ordinal);
    private Dictionary<TaskType, ITaskOwner>? _owners;

    /// <summary>The resource manager tasks are placed by.</summary>
    public IResourceManager ResourceManager => resourceManager;

    /// <summary>The task wants an allocation; the resource manager calls <see cref="StartAsync"/> once it reserved the resources.</summary>
    public Task RequestAsync(AllocationRequest request, CancellationToken cancellationToken) => resourceManager.RequestAsync(request, cancellationToken);

    /// <summary>The task no longer wants an allocation it has not got yet.</summary>
    public void Release(string taskId) => resourceManager.Release(taskId);

    /// <summary>Raises the allocation's stop flag (its row's flag is already committed) and kills it if it is still alive after <paramref name="timeout"/>.</summary>
    public async Task StopGracefullyAsync(string allocationId, TimeSpan timeout, CancellationToken cancellationToken)
    {
        signals.Raise(allocationId);
        await resourceManager.StopGracefullyAsync(allocationId, cancellationToken).ConfigureAwait(false);
        KillLater(allocationId, timeout, DelayedKillReason.PreemptionTimeout);
    }

    /// <summary>Kills the allocation now; its owner already recorded the kill as its own decision (<see cref="AllocationEntity.KillRequested"/>).</summary>
    public async Task KillAsync(string allocationId, CancellationToken cancellationToken)
    {
        signals.Raise(allocationId);
        await resourceManager.KillAsync(allocationId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Kills the allocation if it is still alive after <paramref name="delay"/>; the exit that follows is no failure of the task.</summary>
    public void KillLater(string allocationId, TimeSpan delay, DelayedKillReason reason) =>
        delayedKills.Start(allocationId, reason, delay, ct => RequestKillAsync(allocationId, ct));

    /// <summary>The master decides to kill a live allocation (a user's kill, a timeout): recorded first, so its exit reads as asked for.</summary>
    public async Task<bool> RequestKillAsync(string allocationId, CancellationToken cancellationToken)
    {
        int updated;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<MasterDbContext>();
            updated = await db.Allocations.Where(a => a.Id == allocationId && a.State != AllocationState.Terminated)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.KillRequested, true), cancellationToken).ConfigureAwait(false);
        }
        if (updated == 0)
            return false;
        await KillAsync(allocationId, cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async Task<AllocationStart?> StartAsync(string taskId, AllocatedResources resources, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resources);
        ITaskOwner owner;
        AllocationGrant grant;
        try
        {
            owner = await OwnerOfTaskAsync(taskId, cancellationToken).ConfigureAwait(false);
            grant = await owner.StartAllocationAsync(taskId, resources, cancellationToken).ConfigureAwait(false);
            // It has its allocation: it waits no more, whoever placed it.
            resourceManager.Release(taskId);
        }
        catch (Exception e) when (e is ConflictException or NotFoundException)
        {
            // The task may no longer run (paused, stopping, done); its owner asks again when it can.
            LogNotStarted(logger, taskId, e.Message);
            return null;
        }
        try
        {
            var spec = await owner.BuildSpecAsync(grant, cancellationToken).ConfigureAwait(false);
            return new AllocationStart(grant.AllocationId, taskId, spec);
        }
        catch (Exception e) when (e is DbException or InvalidOperationException or IOException or BadRequestException)
        {
            // Nothing was launched: the allocation ends as a failed start, which its owner decides on like any failure.
            LogSpecFailed(logger, grant.AllocationId, e);
            await ExitedAsync(grant.AllocationId, new AllocationExit(AllocationExitKind.Failed), cancellationToken).ConfigureAwait(false);
            return null;
        }
    }

    public async Task RunningAsync(string allocationId, Uri? service, CancellationToken cancellationToken)
    {
        if (service is not null)
            await serviceRegistry.RunningAsync(allocationId, service, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> ExitedAsync(string allocationId, AllocationExit exit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(exit);
        delayedKills.Cancel(allocationId);
        serviceRegistry.Exited(allocationId);
        try
        {
            var owner = await OwnerOfAllocationAsync(allocationId, cancellationToken).ConfigureAwait(false);
            await owner.AllocationExitedAsync(allocationId, exit, cancellationToken).ConfigureAwait(false);
        }
        catch (ConflictException)
        {
            // Already recorded: a repeated event, or an exit that raced a loss.
        }
        catch (NotFoundException)
        {
            return false;
        }
        finally
        {
            // Whatever the owner decided, the processes are gone: nobody waits on the flag any more.
            signals.Raise(allocationId);
        }
        return true;
    }

    public Task LostAsync(string allocationId, CancellationToken cancellationToken)
    {
        LogLost(logger, allocationId);
        return ExitedAsync(allocationId, new AllocationExit(AllocationExitKind.TransientSystemError), cancellationToken);
    }

    public async Task<byte[]?> ArchiveAsync(string allocationId, CancellationToken cancellationToken)
    {
        try
        {
            var owner = await OwnerOfAllocationAsync(allocationId, cancellationToken).ConfigureAwait(false);
            return await owner.ArchiveAsync(allocationId, cancellationToken).ConfigureAwait(false);
        }
        catch (NotFoundException)
        {
            return null;
        }
    }

    private async Task<ITaskOwner> OwnerOfTaskAsync(string taskId, CancellationToken cancellationToken)
    {
        if (!_taskTypes.TryGetValue(taskId, out var type))
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<MasterDbContext>();
            type = await db.Tasks.AsNoTracking().Where(t => t.Id == taskId).Select(t => (TaskType?)t.Type)
                .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false) ?? throw new NotFoundException($"task {taskId} not found");
            _taskTypes[taskId] = type;
        }
        return Owner(type);
    }

    private async Task<ITaskOwner> OwnerOfAllocationAsync(string allocationId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MasterDbContext>();
        var type = await db.Allocations.AsNoTracking().Where(a => a.Id == allocationId)
            .Join(db.Tasks, a => a.TaskId, t => t.Id, (a, t) => (TaskType?)t.Type)
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false) ?? throw new NotFoundException($"allocation {allocationId} not found");
        return Owner(type);
    }

    private ITaskOwner Owner(TaskType type)
    {
        // Resolved on first use: the owners themselves depend on this service.
        _owners ??= services.GetServices<ITaskOwner>().SelectMany(o => o.Types.Select(t => (Type: t, Owner: o))).ToDictionary(p => p.Type, p => p.Owner);
        return _owners.TryGetValue(type, out var owner) ? owner : throw new NotFoundException($"no owner handles tasks of type {type}");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId} did not start: {Reason}")]
    private static partial void LogNotStarted(ILogger logger, string taskId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Allocation {AllocationId}: what to run could not be built")]
    private static partial void LogSpecFailed(ILogger logger, string allocationId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Allocation {AllocationId} was lost by its resource manager; its owner decides what follows")]
    private static partial void LogLost(ILogger logger, string allocationId);
}

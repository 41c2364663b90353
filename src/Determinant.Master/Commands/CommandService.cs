using System.Security.Claims;
using Determinant.Config;
using Determinant.Master.Auth;
using Determinant.Master.Configuration;
using Determinant.Master.Data;
using Determinant.Master.Data.Entities;
using Determinant.Master.Errors;
using Determinant.Master.ResourceManagers;
using Determinant.Master.Tasks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Determinant.Master.Commands;

/// <summary>
/// The owner of commands, notebooks and TensorBoards (the tasks that are not trials): creates the task and asks for its
/// allocation, starts it, says what it runs (<see cref="CommandSpecs"/>) and ends the task when its processes end.
/// A command runs once: it is not restarted after a failure.
/// </summary>
internal sealed partial class CommandService(
    IServiceScopeFactory scopes, AllocationService allocations, CommandSpecs specs, TimeProvider time, ILogger<CommandService> logger) : ITaskOwner
{
    public IReadOnlyList<TaskType> Types { get; } = [TaskType.Command, TaskType.Notebook, TaskType.Tensorboard];

    /// <summary>
    /// Records the task (owned by the caller) with its config and context (and a TensorBoard's trials), then asks for its
    /// allocation.
    /// </summary>
    /// <exception cref="BadRequestException">
    /// The resource pool cannot run it (unknown pool, more slots than any node has, no node with the program it runs).
    /// </exception>
    public async Task<TaskEntity> CreateAsync(
        MasterDbContext db, int ownerId, TaskType type, TaskConfig config, string defaultDescription, byte[]? context, CancellationToken cancellationToken,
        TensorBoardSources? sources = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(config);
        var pool = PoolNames.Resolve(config.ResourcePool);
        if (allocations.ResourceManager.Validate(pool, config.Slots, singleNode: true) is { } problem)
            throw new BadRequestException($"resources: {problem}");
        if (ProgramOf(type) is { } program && allocations.ResourceManager.ValidateProgram(pool, program) is { } missing)
            throw new BadRequestException($"{program}: {missing}. {InstallHint(program)}");
        var task = new TaskEntity
        {
            Id = Guid.NewGuid().ToString("D"),
            Type = type,
            OwnerId = ownerId,
            State = TaskState.Active,
            Description = string.IsNullOrWhiteSpace(config.Description) ? defaultDescription : config.Description,
            ConfigJson = TaskConfigJson.Write(config),
            SourcesJson = sources?.ToJson(),
            ResourcePool = pool,
            Slots = config.Slots,
            StartTime = time.GetUtcNow().UtcDateTime,
            // What the proxy shows the task's service in place of the caller's own credentials.
            ServiceToken = type == TaskType.Command ? null : TokenHasher.NewToken().Replace('+', '-').Replace('/', '_').TrimEnd('='),
        };
        if (context is not null)
            await specs.SaveContextAsync(task.Id, context, cancellationToken).ConfigureAwait(false);
        db.Tasks.Add(task);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await allocations.RequestAsync(RequestOf(task, config), cancellationToken).ConfigureAwait(false);
        LogCreated(logger, task.Id, type, ownerId);
        return task;
    }

    /// <summary>What the task asks of the resource manager: its slots on one node, in its own group, in order of creation.</summary>
    public static AllocationRequest RequestOf(TaskEntity task, TaskConfig config)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(config);
        return new AllocationRequest(task.Id, task.Slots, task.ResourcePool, config.Priority ?? AllocationRequest.DefaultPriority, config.Weight ?? 1,
            TaskGroups.Task(task.Id), GroupMaxSlots: null, GroupOrder: task.StartTime.Ticks, Order: 0, SingleNode: true, Program: ProgramOf(task.Type));
    }

    /// <summary>The program beyond the agent's own that a task type runs, which only some nodes may have.</summary>
    internal static string? ProgramOf(TaskType type) => type == TaskType.Tensorboard ? "tensorboard" : null;

    /// <summary>How an operator gets <paramref name="program"/> onto the nodes.</summary>
    private static string InstallHint(string program) => program == "tensorboard"
        ? "Install TensorBoard on the agents' machines (pip install tensorboard, in a Python environment with access to PyPI), "
          + "then put it on the agent's PATH or set the agent's tensorboard_path (DET_TENSORBOARD_PATH) to it, and restart the agent"
        : $"Install {program} on the agents' machines and restart them";

    /// <summary>
    /// Ends the task: a live allocation is killed (the task ends when its processes did), a waiting one is withdrawn and
    /// the task ends at once. Killing an ended task changes nothing.
    /// </summary>
    /// <exception cref="NotFoundException">No such task of this kind.</exception>
    /// <exception cref="ForbiddenException">The caller neither owns it nor is an admin.</exception>
    public async Task KillAsync(string taskId, ClaimsPrincipal caller, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MasterDbContext>();
        var task = await db.Tasks.FirstOrDefaultAsync(t => t.Id == taskId && t.Type != TaskType.Trial, cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException($"task {taskId} not found");
        caller.RequireOwnerOrAdmin(task.OwnerId, "task");
        if (task.State == TaskState.Terminated)
            return;
        var live = await db.Allocations.Where(a => a.TaskId == taskId && a.State != AllocationState.Terminated).Select(a => a.Id)
            .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        if (live is not null && await allocations.RequestKillAsync(live, cancellationToken).ConfigureAwait(false))
            return;
        allocations.Release(taskId);
        await EndTaskAsync(db, task, "killed before it started", cancellationToken).ConfigureAwait(false);
    }

    public async Task<AllocationGrant> StartAllocationAsync(string taskId, AllocatedResources resources, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MasterDbContext>();
        var task = await db.Tasks.AsNoTracking().FirstOrDefaultAsync(t => t.Id == taskId, cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException($"task {taskId} not found");
        if (task.State != TaskState.Active)
            throw new ConflictException($"task {taskId} has ended");
        var runs = await db.Allocations.Where(a => a.TaskId == taskId).ToListAsync(cancellationToken).ConfigureAwait(false);
        if (runs.Any(a => a.State != AllocationState.Terminated))
            throw new ConflictException($"task {taskId} already has an allocation");
        var grant = AllocationRows.Begin(db, taskId, runs.Count + 1, resources, time.GetUtcNow().UtcDateTime, out _);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        return grant;
    }

    public Task<TaskSpec> BuildSpecAsync(AllocationGrant grant, CancellationToken cancellationToken) => specs.BuildAsync(grant, cancellationToken);

    public async Task AllocationExitedAsync(string allocationId, AllocationExit exit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(exit);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MasterDbContext>();
        var allocation = await db.Allocations.FirstOrDefaultAsync(a => a.Id == allocationId, cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException($"allocation {allocationId} not found");
        if (allocation.State == AllocationState.Terminated)
            throw new ConflictException($"allocation {allocationId} has already ended");
        AllocationRows.End(allocation, exit, time.GetUtcNow().UtcDateTime);
        var task = await db.Tasks.SingleAsync(t => t.Id == allocation.TaskId, cancellationToken).ConfigureAwait(false);
        await EndTaskAsync(db, task, ExitStatus(exit, allocation.KillRequested), cancellationToken).ConfigureAwait(false);
    }

    public Task<byte[]?> ArchiveAsync(string allocationId, CancellationToken cancellationToken) => specs.ArchiveAsync(allocationId, cancellationToken);

    /// <summary>How the task's life ended, in words for its list and its owner.</summary>
    internal static string ExitStatus(AllocationExit exit, bool killed) => killed ? "killed"
        : exit.Kind switch
        {
            AllocationExitKind.Clean => "exited with code 0",
            _ when exit.ExitCode is { } code => $"exited with code {code}",
            AllocationExitKind.TransientSystemError => "lost by its agent",
            _ => "failed to start",
        };

    private async Task EndTaskAsync(MasterDbContext db, TaskEntity task, string status, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        task.State = TaskState.Terminated;
        task.EndTime = now;
        task.ExitStatus = status;
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        // The task's user token dies with it.
        await db.AuthTokens.Where(t => t.TaskId == task.Id && !t.Revoked)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.Revoked, true), cancellationToken).ConfigureAwait(false);
        specs.DeleteContext(task.Id);
        LogEnded(logger, task.Id, status);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId} ({Type}) created by user {OwnerId}")]
    private static partial void LogCreated(ILogger logger, string taskId, TaskType type, int ownerId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId} ended: {Status}")]
    private static partial void LogEnded(ILogger logger, string taskId, string status);
}

using Determinant.Master.Data.Entities;
using Determinant.Master.ResourceManagers;

namespace Determinant.Master.Tasks;

/// <summary>
/// What a kind of task does at the points of its allocations' lives that only it can decide: the experiment controller
/// for trials, the command service for notebooks, TensorBoards and commands. The <see cref="AllocationService"/> calls it.
/// </summary>
internal interface ITaskOwner
{
    /// <summary>The task types it owns.</summary>
    IReadOnlyList<TaskType> Types { get; }

    /// <summary>
    /// Resources were found: starts the task's next allocation (with <see cref="AllocationRows.Begin"/>, in the owner's
    /// own transaction, beside its own bookkeeping).
    /// </summary>
    /// <exception cref="Errors.ConflictException">The task may no longer run (paused, stopping, ended, already allocated).</exception>
    /// <exception cref="Errors.NotFoundException">The task is gone.</exception>
    Task<AllocationGrant> StartAllocationAsync(string taskId, AllocatedResources resources, CancellationToken cancellationToken);

    /// <summary>What to run for the started allocation.</summary>
    Task<TaskSpec> BuildSpecAsync(AllocationGrant grant, CancellationToken cancellationToken);

    /// <summary>
    /// The allocation's processes ended: marks it so (<see cref="AllocationRows.End"/>) and decides what becomes of the task.
    /// </summary>
    /// <exception cref="Errors.ConflictException">The allocation had already ended.</exception>
    /// <exception cref="Errors.NotFoundException">The allocation is unknown.</exception>
    Task AllocationExitedAsync(string allocationId, AllocationExit exit, CancellationToken cancellationToken);

    /// <summary>The files of the allocation's working directory as a tar.gz; null when it starts empty.</summary>
    Task<byte[]?> ArchiveAsync(string allocationId, CancellationToken cancellationToken);
}

namespace Determinant.Master.ResourceManagers;

/// <summary>
/// The one route by which a resource manager reports back to the task layer: resources found for a task, its
/// allocation running, exited or lost. Implemented by the task layer's allocation service.
/// </summary>
internal interface IAllocationEvents
{
    /// <summary>
    /// Resources were reserved for the task: the task starts its next allocation and says what to run, or answers null
    /// when it no longer wants to run (the manager then gives the resources back and drops the request).
    /// </summary>
    Task<AllocationStart?> StartAsync(string taskId, AllocatedResources resources, CancellationToken cancellationToken);

    /// <summary>The allocation's processes run; <paramref name="service"/> is where its service listens, when it has one.</summary>
    Task RunningAsync(string allocationId, Uri? service, CancellationToken cancellationToken);

    /// <summary>The allocation's processes ended; false when the allocation is unknown (or ended already).</summary>
    Task<bool> ExitedAsync(string allocationId, AllocationExit exit, CancellationToken cancellationToken);

    /// <summary>The manager lost the allocation (its node went away, or it forgot it): a transient loss, not the task's fault.</summary>
    Task LostAsync(string allocationId, CancellationToken cancellationToken);

    /// <summary>The archive of files for the allocation's working directory (a trial's model definition); null when it has none.</summary>
    Task<byte[]?> ArchiveAsync(string allocationId, CancellationToken cancellationToken);
}

namespace Determinant.Master.ResourceManagers;

/// <summary>
/// What places tasks on resources: the local agents, and later Kubernetes or Slurm. The task layer asks it for an
/// allocation and tells it to stop or kill one; everything it learns comes back through <see cref="IAllocationEvents"/>
/// only: resources found (<see cref="IAllocationEvents.StartAsync"/>), the task running, exited or lost.
/// </summary>
internal interface IResourceManager
{
    /// <summary>Queues the task for resources; a request for a task already waiting replaces nothing and is ignored.</summary>
    Task RequestAsync(AllocationRequest request, CancellationToken cancellationToken);

    /// <summary>The task no longer wants resources (it was paused, stopped or ended before it got any).</summary>
    void Release(string taskId);

    /// <summary>
    /// The allocation's stop flag is raised (tasks long-poll it); a manager with a stop channel of its own (Slurm's
    /// signal, a pod's termination) forwards it. The task layer itself kills the allocation after its grace period.
    /// </summary>
    Task StopGracefullyAsync(string allocationId, CancellationToken cancellationToken);

    /// <summary>Terminates the allocation's processes now (SIGTERM, then SIGKILL after 10 s).</summary>
    Task KillAsync(string allocationId, CancellationToken cancellationToken);

    /// <summary>Whether a task of <paramref name="slots"/> slots in <paramref name="pool"/> could ever run; null when it could, else why not.</summary>
    string? Validate(string pool, int slots, bool singleNode);

    /// <summary>
    /// Whether some node of <paramref name="pool"/> has <paramref name="program"/> (a program a task type runs, such as
    /// <c>tensorboard</c>); null when one has, else why not, naming the pool and the program.
    /// </summary>
    string? ValidateProgram(string pool, string program);

    /// <summary>The largest node and the largest pool now, for the config's submit-time checks; nulls when the cluster has none yet.</summary>
    SlotCapacity Capacity();

    /// <summary>The pools, their nodes and slots, and which allocation holds each slot.</summary>
    ClusterSummary Summary();
}

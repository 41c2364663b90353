namespace Determinant.Master.Controller;

/// <summary>
/// The boundary to whatever places trials on slots (agents, Slurm, Kubernetes). The experiment controller tells it what
/// it needs after each committed change; the scheduler answers by calling <see cref="ExperimentController.StartAllocationAsync"/>
/// once resources are found and <see cref="ExperimentController.RecordAllocationExitAsync"/> when the task exits.
/// </summary>
internal interface ITrialScheduler
{
    /// <summary>The trial has work and no allocation; requests for a trial already waiting should be ignored.</summary>
    Task TrialNeedsAllocationAsync(int trialId, CancellationToken cancellationToken);

    /// <summary>The trial got an allocation (from this scheduler or anyone else); it no longer waits.</summary>
    void TrialStarted(int trialId);

    /// <summary>
    /// The allocation's stop flag is raised (tasks long-poll it); a backend with its own stop channel forwards it. The
    /// controller itself kills the allocation after <c>preemption_timeout</c>, through <see cref="KillAllocationAsync"/>.
    /// </summary>
    Task StopAllocationGracefullyAsync(string allocationId, CancellationToken cancellationToken);

    /// <summary>Terminate the allocation's processes now (SIGTERM, then SIGKILL after 10 s).</summary>
    Task KillAllocationAsync(string allocationId, CancellationToken cancellationToken);
}

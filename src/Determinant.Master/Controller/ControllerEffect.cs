using Determinant.Config;
using Determinant.Master.Data.Entities;
using Determinant.Master.Tasks;

namespace Determinant.Master.Controller;

/// <summary>Something to do outside the database once the change that caused it is committed.</summary>
internal abstract record ControllerEffect;

/// <summary>The trial needs an allocation (its id, the request's order, is known after the commit).</summary>
internal sealed record ScheduleTrial(TrialEntity Trial, ExperimentConfig Config, DateTime ExperimentStart) : ControllerEffect;

/// <summary>The allocation's stop flag was raised; it is killed if still alive after <paramref name="Timeout"/>.</summary>
internal sealed record StopAllocation(string AllocationId, TimeSpan Timeout) : ControllerEffect;

/// <summary>Kill the allocation if it is still alive after <paramref name="Delay"/>.</summary>
internal sealed record KillAllocationLater(string AllocationId, TimeSpan Delay, DelayedKillReason Reason) : ControllerEffect;

/// <summary>The allocation must die now.</summary>
internal sealed record KillAllocation(string AllocationId) : ControllerEffect;

/// <summary>The experiment ended: collect its checkpoints.</summary>
internal sealed record CollectCheckpoints(int ExperimentId) : ControllerEffect;

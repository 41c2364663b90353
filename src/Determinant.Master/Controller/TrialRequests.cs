using Determinant.Config;
using Determinant.Master.Data.Entities;
using Determinant.Master.ResourceManagers;

namespace Determinant.Master.Controller;

/// <summary>What a trial asks of the resource manager: its experiment's <c>resources</c> (REFERENCE.md §2.6), shared by the experiment's trials.</summary>
internal static class TrialRequests
{
    /// <param name="trial">The trial (saved: its id orders it within the experiment).</param>
    /// <param name="config">Its experiment's config.</param>
    /// <param name="experimentStart">When its experiment was submitted: the older experiment goes first on ties.</param>
    public static AllocationRequest For(TrialEntity trial, ExperimentConfig config, DateTime experimentStart)
    {
        ArgumentNullException.ThrowIfNull(trial);
        ArgumentNullException.ThrowIfNull(config);
        var resources = config.Resources;
        return new AllocationRequest(
            trial.TaskId, resources.SlotsPerTrial, resources.ResourcePool, resources.Priority ?? AllocationRequest.DefaultPriority, resources.Weight,
            TaskGroups.Experiment(trial.ExperimentId), resources.MaxSlots, GroupOrder: experimentStart.Ticks, Order: trial.Id,
            SingleNode: resources.IsSingleNode == true);
    }
}

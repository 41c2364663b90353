namespace Determinant.Master.Scheduling;

/// <summary>A trial waiting for slots, with what the scheduler needs from its experiment's config.</summary>
/// <param name="TrialId">The trial; also the order within an experiment.</param>
/// <param name="ExperimentId">Its experiment (the fair-share and <c>max_slots</c> unit).</param>
/// <param name="Slots"><c>resources.slots_per_trial</c>; all at once (gang), on one agent when one has them free, else across agents.</param>
/// <param name="Priority">Lower first; 42 when the config has none.</param>
/// <param name="Weight">Fair-share weight.</param>
/// <param name="MaxSlots">Cap on the experiment's slots at once; null for none.</param>
/// <param name="Pool">The resource pool.</param>
/// <param name="SingleNode"><c>resources.is_single_node</c>: the gang never spans agents.</param>
internal sealed record SchedulingRequest(
    int TrialId, int ExperimentId, int Slots, int Priority, double Weight, int? MaxSlots, string Pool, bool SingleNode = false)
{
    public const int DefaultPriority = 42;
}

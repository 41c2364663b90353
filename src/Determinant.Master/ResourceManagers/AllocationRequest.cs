namespace Determinant.Master.ResourceManagers;

/// <summary>A task waiting for resources, with what placing it takes.</summary>
/// <param name="TaskId">The task.</param>
/// <param name="Slots">Slots, all at once (a gang); 0: no slot, in the pool's auxiliary capacity.</param>
/// <param name="Pool">The resource pool; empty for the default one.</param>
/// <param name="Priority">Lower first (REFERENCE.md §2.6); <see cref="DefaultPriority"/> when the config names none.</param>
/// <param name="Weight">Fair-share weight of the task's group.</param>
/// <param name="Group">What shares fairly and counts against <paramref name="GroupMaxSlots"/>: an experiment's trials, or the task alone.</param>
/// <param name="GroupMaxSlots">Cap on the group's slots at once (an experiment's <c>max_slots</c>); null for none.</param>
/// <param name="GroupOrder">Seniority of the group (smaller first on ties): the ticks of the experiment's or the task's submit time.</param>
/// <param name="Order">Seniority within the group (a trial's id).</param>
/// <param name="SingleNode">The gang never spans nodes (<c>resources.is_single_node</c>).</param>
/// <param name="Program">A program the task runs that only some nodes have (<c>tensorboard</c>); null for none.</param>
internal sealed record AllocationRequest(
    string TaskId, int Slots, string Pool, int Priority, double Weight, string Group, int? GroupMaxSlots, long GroupOrder, long Order,
    bool SingleNode = false, string? Program = null)
{
    public const int DefaultPriority = 42;
}

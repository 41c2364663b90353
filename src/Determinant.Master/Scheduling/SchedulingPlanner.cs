namespace Determinant.Master.Scheduling;

/// <summary>
/// One pass of the priority scheduler (pure): priority first (lower number first), then fair share between
/// experiments by weight, <c>max_slots</c> per experiment, and gangs: a trial gets all its slots on one agent (best fit:
/// the agent with the fewest free slots that still fits) or waits. No preemption.
/// </summary>
/// <remarks>TODO(distributed-training): a trial larger than every agent could span agents; today it waits (and is refused at submit).</remarks>
internal static class SchedulingPlanner
{
    public static IReadOnlyList<PlannedLaunch> Plan(
        IReadOnlyList<SchedulingRequest> waiting, IReadOnlyList<AgentCapacity> agents, IReadOnlyDictionary<int, int> slotsInUse)
    {
        ArgumentNullException.ThrowIfNull(waiting);
        ArgumentNullException.ThrowIfNull(agents);
        ArgumentNullException.ThrowIfNull(slotsInUse);
        var free = agents.ToDictionary(a => a.AgentId, a => a.FreeSlots.ToList(), StringComparer.Ordinal);
        var usage = new Dictionary<int, int>(slotsInUse);
        var planned = new List<PlannedLaunch>();
        foreach (var level in waiting.GroupBy(r => r.Priority).OrderBy(g => g.Key))
        {
            var candidates = level.OrderBy(r => r.ExperimentId).ThenBy(r => r.TrialId).ToList();
            while (candidates.Count > 0)
            {
                // The experiment furthest below its weighted share goes next; ties go to the older experiment.
                var next = candidates
                    .OrderBy(r => usage.GetValueOrDefault(r.ExperimentId) / Math.Max(r.Weight, 1e-9))
                    .ThenBy(r => r.ExperimentId).ThenBy(r => r.TrialId).First();
                candidates.Remove(next);
                var used = usage.GetValueOrDefault(next.ExperimentId);
                if (next.MaxSlots is { } cap && used + next.Slots > cap)
                    continue;
                var agent = agents.Where(a => a.Pool == next.Pool && free[a.AgentId].Count >= next.Slots)
                    .OrderBy(a => free[a.AgentId].Count).ThenBy(a => a.AgentId, StringComparer.Ordinal).FirstOrDefault();
                if (agent is null)
                    continue;
                var slots = free[agent.AgentId].Take(next.Slots).ToList();
                free[agent.AgentId].RemoveRange(0, next.Slots);
                usage[next.ExperimentId] = used + next.Slots;
                planned.Add(new PlannedLaunch(next, agent.AgentId, slots));
            }
        }
        return planned;
    }
}

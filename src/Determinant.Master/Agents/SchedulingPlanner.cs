using Determinant.Master.ResourceManagers;

namespace Determinant.Master.Agents;

/// <summary>
/// One pass of the priority scheduler (pure): priority first (lower number first), then fair share between
/// groups (an experiment's trials; any other task alone) by weight, <c>max_slots</c> per group, and gangs: a task gets all
/// its slots at once or waits; a task of no slot takes none. The slots come from one agent when one has enough free (best fit: the agent with the fewest free slots that still fits);
/// otherwise, unless the task is <c>is_single_node</c>, from as few agents of its pool as possible (the agents with
/// the most free slots, the last one chosen by best fit). No preemption.
/// </summary>
/// <remarks>
/// A pass decides every placement against one snapshot of the free slots and takes each gang's slots whole, so no
/// task ever holds part of its slots while it waits for the rest, and two gangs cannot each hold half of what both need.
/// </remarks>
internal static class SchedulingPlanner
{
    public static IReadOnlyList<PlannedLaunch> Plan(
        IReadOnlyList<AllocationRequest> waiting, IReadOnlyList<AgentCapacity> agents, IReadOnlyDictionary<string, int> slotsInUse)
    {
        ArgumentNullException.ThrowIfNull(waiting);
        ArgumentNullException.ThrowIfNull(agents);
        ArgumentNullException.ThrowIfNull(slotsInUse);
        var free = agents.ToDictionary(a => a.AgentId, a => a.FreeSlots.ToList(), StringComparer.Ordinal);
        var usage = new Dictionary<string, int>(slotsInUse, StringComparer.Ordinal);
        var planned = new List<PlannedLaunch>();
        foreach (var level in waiting.GroupBy(r => r.Priority).OrderBy(g => g.Key))
        {
            var candidates = level.OrderBy(r => r.GroupOrder).ThenBy(r => r.Order).ThenBy(r => r.TaskId, StringComparer.Ordinal).ToList();
            while (candidates.Count > 0)
            {
                // The group (experiment) furthest below its weighted share goes next; ties go to the older group.
                var next = candidates
                    .OrderBy(r => usage.GetValueOrDefault(r.Group) / Math.Max(r.Weight, 1e-9))
                    .ThenBy(r => r.GroupOrder).ThenBy(r => r.Order).ThenBy(r => r.TaskId, StringComparer.Ordinal).First();
                candidates.Remove(next);
                var used = usage.GetValueOrDefault(next.Group);
                if (next.GroupMaxSlots is { } cap && used + next.Slots > cap)
                    continue;
                var counts = Choose(next, agents, free);
                if (counts is null)
                    continue;
                var shares = new List<PlannedShare>(counts.Count);
                foreach (var (agentId, count) in counts)
                {
                    shares.Add(new PlannedShare(agentId, free[agentId].Take(count).ToList()));
                    free[agentId].RemoveRange(0, count);
                }
                usage[next.Group] = used + next.Slots;
                planned.Add(new PlannedLaunch(next, shares));
            }
        }
        return planned;
    }

    /// <summary>How many slots to take from which agents (the chief's first), or null when the pool cannot hold the gang now.</summary>
    private static List<(string AgentId, int Count)>? Choose(AllocationRequest request, IReadOnlyList<AgentCapacity> agents, Dictionary<string, List<int>> free)
    {
        if (request.Slots <= 0)
        {
            // A task of no slot (a notebook, a TensorBoard) runs on any agent of its pool, busy or not: the one with the
            // most free slots, so that it disturbs a full agent's trials least.
            var host = agents.Where(a => a.Serves(request)).OrderByDescending(a => free[a.AgentId].Count)
                .ThenBy(a => a.AgentId, StringComparer.Ordinal).FirstOrDefault();
            return host is null ? null : [(host.AgentId, 0)];
        }
        var pool = agents.Where(a => a.Serves(request) && free[a.AgentId].Count > 0).Select(a => (a.AgentId, Free: free[a.AgentId].Count)).ToList();
        var single = pool.Where(a => a.Free >= request.Slots).OrderBy(a => a.Free).ThenBy(a => a.AgentId, StringComparer.Ordinal).ToList();
        if (single.Count > 0)
            return [(single[0].AgentId, request.Slots)];
        if (request.SingleNode || request.Slots <= 0 || pool.Sum(a => a.Free) < request.Slots)
            return null;
        // Fewest agents: take the largest until the rest fits on one, then the smallest agent that holds the rest.
        var byFree = pool.OrderByDescending(a => a.Free).ThenBy(a => a.AgentId, StringComparer.Ordinal).ToList();
        var chosen = new List<(string AgentId, int Count)>();
        var remaining = request.Slots;
        while (remaining > 0)
        {
            if (byFree[0].Free >= remaining)
            {
                var last = byFree.Where(a => a.Free >= remaining).OrderBy(a => a.Free).ThenBy(a => a.AgentId, StringComparer.Ordinal).First();
                chosen.Add((last.AgentId, remaining));
                break;
            }
            chosen.Add((byFree[0].AgentId, byFree[0].Free));
            remaining -= byFree[0].Free;
            byFree.RemoveAt(0);
        }
        return chosen;
    }
}

namespace Determinant.Master.Agents;

/// <summary>One scheduling pass: plan the waiting tasks against the agents' free slots, launch what fits.</summary>
internal sealed class SchedulingPass(AgentRegistry registry, AgentResourceManager manager, AgentLauncher launcher)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var waiting = manager.Waiting;
        if (waiting.Count == 0)
            return;
        var (agents, usage) = registry.Read((all, placements) => (
            all.Select(a => new AgentCapacity(a.Id, a.Pool, a.FreeSlots, a.Programs.Keys.ToHashSet(StringComparer.Ordinal))).ToList(),
            placements.GroupBy(p => p.Group, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(p => p.SlotsNeeded), StringComparer.Ordinal)));
        if (agents.Count == 0)
            return;
        foreach (var plan in SchedulingPlanner.Plan(waiting, agents, usage))
            await launcher.LaunchAsync(plan, cancellationToken).ConfigureAwait(false);
    }
}

using Determinant.Protocol.Api;

namespace Determinant.Master.Agents;

/// <summary><c>GET /api/v1/agents</c> and <c>GET /api/v1/resource-pools</c>, read from the registry.</summary>
internal static class ClusterViews
{
    public static AgentsResponse Agents(AgentRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry.Read((agents, _) => new AgentsResponse([.. agents.OrderBy(a => a.Id, StringComparer.Ordinal).Select(a => new AgentDto(
            a.Id, a.Hostname,
            [.. a.Slots.Select(s => new SlotDto(s.Index, s.Type, s.Device, Enabled: true,
                a.SlotOwners.TryGetValue(s.Index, out var owner) && !owner.Contains(':', StringComparison.Ordinal) ? owner : null))],
            a.RegisteredTime, a.LastHeartbeat, a.Pool))]));
    }

    public static ResourcePoolsResponse ResourcePools(AgentRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry.Read((agents, _) =>
        {
            var pools = agents.GroupBy(a => a.Pool).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
            pools.TryAdd(AgentRegistry.DefaultPool, []);
            return new ResourcePoolsResponse([.. pools.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new ResourcePoolDto(
                p.Key, "RESOURCE_POOL_TYPE_STATIC", p.Value.Count,
                SlotsAvailable: p.Value.Sum(a => a.Slots.Count),
                SlotsUsed: p.Value.Sum(a => a.SlotOwners.Count),
                MaxSlotsPerAgent: p.Value.Count == 0 ? 0 : p.Value.Max(a => a.Slots.Count),
                IsDefaultComputePool: p.Key == AgentRegistry.DefaultPool,
                IsDefaultAuxPool: p.Key == AgentRegistry.DefaultPool))]);
        });
    }
}

using Determinant.Master.ResourceManagers;
using Determinant.Protocol.Api;

namespace Determinant.Master.Cluster;

/// <summary><c>GET /api/v1/agents</c> and <c>GET /api/v1/resource-pools</c>: the resource manager's nodes and pools.</summary>
internal static class ClusterViews
{
    public static void Map(IEndpointRouteBuilder api)
    {
        api.MapGet("/agents", (IResourceManager manager) => Agents(manager.Summary())).WithTags("Cluster");
        api.MapGet("/resource-pools", (IResourceManager manager) => ResourcePools(manager.Summary())).WithTags("Cluster");
    }

    public static AgentsResponse Agents(ClusterSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return new AgentsResponse([.. summary.Nodes.Select(n => new AgentDto(
            n.Id, n.Hostname, [.. n.Slots.Select(s => new SlotDto(s.Index, s.Type, s.Device, Enabled: true, s.AllocationId))],
            n.RegisteredTime, n.LastHeartbeat, n.Pool, n.Sandboxed))]);
    }

    public static ResourcePoolsResponse ResourcePools(ClusterSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return new ResourcePoolsResponse([.. summary.Pools.Select(p => new ResourcePoolDto(
            p.Name, p.Type, p.Nodes, SlotsAvailable: p.Slots, SlotsUsed: p.SlotsUsed, MaxSlotsPerAgent: p.MaxSlotsPerNode,
            IsDefaultComputePool: p.DefaultCompute, IsDefaultAuxPool: p.DefaultAux))]);
    }
}

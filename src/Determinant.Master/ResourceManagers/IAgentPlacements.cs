namespace Determinant.Master.ResourceManagers;

/// <summary>
/// Where allocations run on the master's own agents, for the routes an agent's credential may use: it reports only on
/// allocations placed on that agent.
/// </summary>
internal interface IAgentPlacements
{
    /// <summary>Whether the allocation is placed now, and on agents other than <paramref name="agentId"/> only.</summary>
    bool IsPlacedElsewhere(string allocationId, string agentId);
}

using Determinant.Master.ResourceManagers;

namespace Determinant.Master.Agents;

/// <summary>An agent as the planner sees it: its pool, the indices of its free slots and the programs it has for tasks.</summary>
internal sealed record AgentCapacity(string AgentId, string Pool, IReadOnlyList<int> FreeSlots, IReadOnlySet<string>? Programs = null)
{
    /// <summary>Whether the agent can run <paramref name="request"/>: its pool, and the program it needs if any.</summary>
    public bool Serves(AllocationRequest request) =>
        Pool == request.Pool && (request.Program is null || Programs?.Contains(request.Program) == true);
}

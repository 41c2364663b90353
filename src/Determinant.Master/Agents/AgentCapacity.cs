namespace Determinant.Master.Agents;

/// <summary>An agent as the planner sees it: its pool and the indices of its free slots.</summary>
internal sealed record AgentCapacity(string AgentId, string Pool, IReadOnlyList<int> FreeSlots);

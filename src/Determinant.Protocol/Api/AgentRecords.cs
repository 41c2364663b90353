namespace Determinant.Protocol.Api;

/// <summary>A slot of an agent as <c>GET /api/v1/agents</c> shows it.</summary>
/// <param name="Id">The agent-local slot index.</param>
/// <param name="Type"><c>cpu</c> or <c>cuda</c>.</param>
/// <param name="Device">The GPU's name; null for CPU slots.</param>
/// <param name="Enabled">Whether the scheduler may use it.</param>
/// <param name="AllocationId">The allocation holding it, if any.</param>
public sealed record SlotDto(int Id, string Type, string? Device, bool Enabled, string? AllocationId);

/// <summary>A connected agent.</summary>
/// <param name="Id">The agent's id.</param>
/// <param name="Hostname">Its machine's host name.</param>
/// <param name="Slots">Its slots.</param>
/// <param name="RegisteredTime">When it joined.</param>
/// <param name="LastHeartbeat">When it was last heard from.</param>
/// <param name="ResourcePool">Its pool.</param>
/// <param name="Sandboxed">
/// Whether it runs tasks in its sandbox (namespaces, an unprivileged user, cgroup limits); false for an agent started
/// <c>--unsandboxed</c>; null where the resource manager has no such notion (Slurm, Kubernetes).
/// </param>
public sealed record AgentDto(
    string Id, string Hostname, IReadOnlyList<SlotDto> Slots, DateTime RegisteredTime, DateTime LastHeartbeat, string ResourcePool,
    bool? Sandboxed = null);

/// <summary><c>GET /api/v1/agents</c>.</summary>
public sealed record AgentsResponse(IReadOnlyList<AgentDto> Agents);

/// <summary>A resource pool and its capacity now.</summary>
public sealed record ResourcePoolDto(
    string Name, string Type, int NumAgents, int SlotsAvailable, int SlotsUsed, int MaxSlotsPerAgent, bool IsDefaultComputePool, bool IsDefaultAuxPool);

/// <summary><c>GET /api/v1/resource-pools</c>.</summary>
public sealed record ResourcePoolsResponse(IReadOnlyList<ResourcePoolDto> ResourcePools);

/// <summary><c>POST /api/v1/agents/{agentId}/credential</c> (admins only): the new credential, shown this once.</summary>
/// <param name="AgentId">The agent it speaks for.</param>
/// <param name="Credential">What the agent sends as <c>x-agent-token</c> (its <c>--token-file</c>); any earlier one stops working.</param>
public sealed record AgentCredentialResponse(string AgentId, string Credential);

namespace Determinant.Protocol.Agent;

/// <summary>Body of <c>POST /api/v1/agents/register</c>; sent on start and again after any lost contact.</summary>
/// <param name="AgentId">The agent's name, unique in the cluster (default: the host name).</param>
/// <param name="Hostname">The machine's host name; tasks of other agents reach this one's tasks there.</param>
/// <param name="Slots">Every slot the agent offers.</param>
/// <param name="Version">The agent's version.</param>
/// <param name="ResourcePool">The pool the agent joins; null for the default pool.</param>
/// <param name="Allocations">Allocations the agent still holds (running, or exited with the exit not yet acknowledged).</param>
/// <param name="Address">
/// The IP address at which this agent's tasks are reachable from other agents (its address on the route to the master;
/// loopback for a local master); a gang across agents gets its chief's as <c>DET_CHIEF_IP</c>. Null: the host name is used.
/// </param>
/// <param name="Programs">
/// Programs that some task types need and that this agent found, by name (<c>tensorboard</c>) to their absolute paths;
/// the master sends such a task only to an agent that has its program. Null: none.
/// </param>
/// <param name="Sandboxed">
/// Whether the agent runs its tasks in its sandbox (namespaces, an unprivileged user, cgroup limits); false for an
/// agent started <c>--unsandboxed</c>, and for agents too old to say.
/// </param>
public sealed record RegisterAgentRequest(
    string AgentId,
    string Hostname,
    IReadOnlyList<AgentSlot> Slots,
    string Version,
    string? ResourcePool,
    IReadOnlyList<AgentAllocation> Allocations,
    string? Address = null,
    IReadOnlyDictionary<string, string>? Programs = null,
    bool Sandboxed = false);

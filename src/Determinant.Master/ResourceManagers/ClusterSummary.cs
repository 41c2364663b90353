namespace Determinant.Master.ResourceManagers;

/// <summary>What a resource manager has: its pools and its nodes (agents, Kubernetes nodes, Slurm nodes).</summary>
internal sealed record ClusterSummary(IReadOnlyList<PoolSummary> Pools, IReadOnlyList<NodeSummary> Nodes);

/// <summary>A resource pool and its capacity now.</summary>
/// <param name="Name">The pool.</param>
/// <param name="Type">Determined's pool type (<c>RESOURCE_POOL_TYPE_STATIC</c>, <c>RESOURCE_POOL_TYPE_K8S</c>).</param>
/// <param name="Nodes">Its nodes.</param>
/// <param name="Slots">Its slots.</param>
/// <param name="SlotsUsed">Slots held by allocations.</param>
/// <param name="MaxSlotsPerNode">Slots of its largest node.</param>
/// <param name="DefaultCompute">Tasks needing slots with no pool named go here.</param>
/// <param name="DefaultAux">Tasks needing no slot with no pool named go here.</param>
internal sealed record PoolSummary(string Name, string Type, int Nodes, int Slots, int SlotsUsed, int MaxSlotsPerNode, bool DefaultCompute, bool DefaultAux);

/// <summary>A node, its slots and who holds them.</summary>
/// <param name="Id">The node's id (an agent id).</param>
/// <param name="Hostname">Its host name.</param>
/// <param name="Pool">Its pool.</param>
/// <param name="Slots">Its slots.</param>
/// <param name="RegisteredTime">When it joined.</param>
/// <param name="LastHeartbeat">When it was last heard from.</param>
/// <param name="Sandboxed">Whether its tasks run sandboxed; null when it does not say.</param>
internal sealed record NodeSummary(
    string Id, string Hostname, string Pool, IReadOnlyList<SlotSummary> Slots, DateTime RegisteredTime, DateTime LastHeartbeat, bool? Sandboxed);

/// <summary>A slot: its index, kind, device and the allocation holding it (null when free).</summary>
internal sealed record SlotSummary(int Index, string Type, string? Device, string? AllocationId);

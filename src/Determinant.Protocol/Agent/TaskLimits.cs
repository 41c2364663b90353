namespace Determinant.Protocol.Agent;

/// <summary>Limits of a task's cgroup; a null field takes the agent's default.</summary>
/// <param name="MemoryBytes">Memory limit in bytes (the config's <c>resources.memory_limit</c>).</param>
/// <param name="Pids">Most processes and threads at once (the config's <c>resources.pids_limit</c>).</param>
public sealed record TaskLimits(long? MemoryBytes = null, int? Pids = null);

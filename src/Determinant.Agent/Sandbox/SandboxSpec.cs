using Determinant.Protocol.Agent;

namespace Determinant.Agent.Sandbox;

/// <summary>What one task's sandbox is made of: its user, its mounts and its cgroup limits (null: none).</summary>
/// <param name="User">The unprivileged account it runs as.</param>
/// <param name="Mounts">Its bind mounts and checkpoint storage.</param>
/// <param name="MemoryBytes">Its memory limit.</param>
/// <param name="Pids">Its limit on processes and threads.</param>
/// <param name="MemoryLimitSource">The setting the memory limit came from, for the OOM message.</param>
internal sealed record SandboxSpec(TaskUser User, IReadOnlyList<TaskMount> Mounts, long? MemoryBytes, int? Pids, string MemoryLimitSource)
{
    /// <summary>Whether a process started in <paramref name="other"/>'s sandbox can serve a task of this one (a standby harness).</summary>
    public bool SameAs(SandboxSpec other) =>
        other is not null && User == other.User && Mounts.SequenceEqual(other.Mounts) && MemoryBytes == other.MemoryBytes && Pids == other.Pids;
}

namespace Determinant.Agent.Sandbox;

/// <summary>
/// Where this agent makes its tasks' cgroups: a parent <c>determinant-agent-&lt;agent id&gt;</c> below the agent's own cgroup,
/// in cgroup v2 (<c>/sys/fs/cgroup</c> is cgroup2) or in the v1 memory, pids (and freezer, when mounted) hierarchies.
/// </summary>
/// <remarks>
/// The parent is named after the agent id, so a restarted agent finds what a previous run of itself left behind
/// (<see cref="Leftovers"/>): processes it has no pipes to and cannot supervise.
/// </remarks>
internal abstract class CgroupHierarchy
{
    /// <summary>The parent's directory name for <paramref name="agentId"/>.</summary>
    public static string ParentName(string agentId) => "determinant-agent-" + agentId;

    /// <summary>E.g. <c>cgroup v1 (memory, pids, freezer) at …/determinant-agent-a1</c>, for the agent's log.</summary>
    public abstract string Description { get; }

    /// <summary>Makes a cgroup for one task process with these limits (null: no limit).</summary>
    /// <exception cref="IOException">The kernel refused the cgroup or a limit.</exception>
    public abstract TaskCgroup Create(string name, long? memoryBytes, int? pids);

    /// <summary>The task cgroups under the parent now (on start: those of a previous run).</summary>
    public abstract IReadOnlyList<TaskCgroup> Leftovers();

    /// <summary>Removes the parent when no task cgroup is left in it.</summary>
    public abstract void RemoveParent();

    /// <summary>The hierarchy for <paramref name="agentId"/>, or null with <paramref name="missing"/> saying what this machine lacks.</summary>
    public static CgroupHierarchy? Detect(string agentId, out string? missing)
    {
        var mounts = CgroupMounts.Read();
        try
        {
            if (mounts.Unified is { } unified)
            {
                missing = null;
                return CgroupV2Hierarchy.Open(unified, CgroupMounts.OwnPath(""), agentId);
            }
            var memory = mounts.V1.GetValueOrDefault("memory");
            var pids = mounts.V1.GetValueOrDefault("pids");
            if (memory is null || pids is null)
            {
                missing = "cgroups: neither cgroup v2 at /sys/fs/cgroup nor the cgroup v1 memory and pids controllers are mounted";
                return null;
            }
            missing = null;
            return CgroupV1Hierarchy.Open(mounts, agentId);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            missing = $"cgroups: cannot make the agent's task cgroups: {e.Message}";
            return null;
        }
    }
}

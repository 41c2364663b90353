namespace Determinant.Config.Binding;

/// <summary>
/// Reads <c>resources.memory_limit</c> (bytes, or a size such as <c>4Gi</c>, <c>512Mi</c>, <c>1.5 gb</c>: units count in
/// powers of 1024) and <c>resources.pids_limit</c>, the limits of each task process's cgroup on the agent.
/// </summary>
internal static class TaskLimitsBinder
{
    /// <summary>The smallest memory limit a task may ask for: below it not even the .NET runtime starts.</summary>
    public const long MinMemoryBytes = 16L << 20;

    public const int MinPids = 16;

    public static long? MemoryLimit(Section resources)
    {
        var node = resources.Get("memory_limit");
        if (node is null)
            return null;
        var path = resources.PathOf("memory_limit");
        // Kubernetes-style units (4Gi, 512Mi) too: the shm_size pattern wants them with a B (4GiB).
        long? bytes = NodeValues.TryGetInteger(node, out _) ? Values.Integer(node, path, resources.Diagnostics, min: 1)
            : NodeValues.TryGetString(node, out var text) ? ShmSizeParser.ToBytes(text.EndsWith('i') || text.EndsWith('I') ? text + "B" : text) : null;
        if (bytes is null)
        {
            resources.Diagnostics.Error(path, $"must be a byte count or a size such as \"4Gi\" or \"512Mi\", not {NodeValues.Describe(node)}");
            return null;
        }
        if (bytes < MinMemoryBytes)
        {
            resources.Diagnostics.Error(path, $"must be at least {MinMemoryBytes} bytes (16Mi), not {bytes}");
            return null;
        }
        return bytes;
    }

    public static int? PidsLimit(Section resources)
    {
        return resources.Int("pids_limit", min: MinPids, max: 4_194_304);
    }
}

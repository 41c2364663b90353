namespace Determinant.Agent.Sandbox;

/// <summary>Task cgroups in the cgroup v1 memory and pids hierarchies, and the freezer's when it is mounted (kills without a race against fork).</summary>
internal sealed class CgroupV1Hierarchy : CgroupHierarchy
{
    private readonly IReadOnlyDictionary<string, string> _parents;

    private CgroupV1Hierarchy(IReadOnlyDictionary<string, string> parents) => _parents = parents;

    public override string Description =>
        $"cgroup v1 ({string.Join(", ", _parents.Keys)}) at {string.Join(", ", _parents.Values)}";

    public static CgroupV1Hierarchy Open(CgroupMounts mounts, string agentId)
    {
        ArgumentNullException.ThrowIfNull(mounts);
        var parents = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var controller in new[] { "memory", "pids", "freezer" })
        {
            if (mounts.V1.GetValueOrDefault(controller) is not { } mount)
                continue;
            var parent = Path.Combine(CgroupMounts.Directory(mount, CgroupMounts.OwnPath(controller)), ParentName(agentId));
            System.IO.Directory.CreateDirectory(parent);
            parents[controller] = parent;
        }
        return new CgroupV1Hierarchy(parents);
    }

    public override TaskCgroup Create(string name, long? memoryBytes, int? pids)
    {
        var cgroup = new V1TaskCgroup(name, _parents.ToDictionary(p => p.Key, p => Path.Combine(p.Value, name), StringComparer.Ordinal));
        try
        {
            cgroup.Make(memoryBytes, pids);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            cgroup.Remove();
            throw new IOException($"cannot make task cgroup {name}: {e.Message}", e);
        }
        return cgroup;
    }

    public override IReadOnlyList<TaskCgroup> Leftovers()
    {
        var names = _parents.Values.Where(System.IO.Directory.Exists)
            .SelectMany(System.IO.Directory.EnumerateDirectories).Select(Path.GetFileName).Distinct(StringComparer.Ordinal);
        return [.. names.Select(n => new V1TaskCgroup(n!, _parents.ToDictionary(p => p.Key, p => Path.Combine(p.Value, n!), StringComparer.Ordinal)))];
    }

    public override void RemoveParent()
    {
        foreach (var parent in _parents.Values)
        {
            try
            {
                CgroupFiles.RemoveDirectory(parent);
            }
            catch (IOException)
            {
                // Still holds a task cgroup (another agent process with the same id?): left as it is.
            }
        }
    }

    private sealed class V1TaskCgroup(string name, IReadOnlyDictionary<string, string> directories) : TaskCgroup(name)
    {
        public override IReadOnlyList<string> ProcsFiles => [.. directories.Values.Select(d => Path.Combine(d, "cgroup.procs"))];

        public void Make(long? memoryBytes, int? pids)
        {
            foreach (var directory in directories.Values)
                System.IO.Directory.CreateDirectory(directory);
            if (memoryBytes is { } bytes)
                CgroupFiles.Write(Path.Combine(directories["memory"], "memory.limit_in_bytes"), bytes);
            CgroupFiles.Write(Path.Combine(directories["pids"], "pids.max"), pids is { } max ? max.ToString(System.Globalization.CultureInfo.InvariantCulture) : "max");
        }

        public override IReadOnlyList<int> Pids() =>
            [.. ProcsFiles.SelectMany(CgroupFiles.ReadPids).Distinct()];

        public override bool OomKilled() =>
            CgroupFiles.ReadKey(Path.Combine(directories["memory"], "memory.oom_control"), "oom_kill") > 0;

        public override async Task KillAllAsync(CancellationToken cancellationToken)
        {
            var freezer = directories.GetValueOrDefault("freezer") is { } f && System.IO.Directory.Exists(f) ? f : null;
            var until = DateTime.UtcNow + EmptyDeadline;
            while (Pids() is { Count: > 0 } pids && DateTime.UtcNow < until)
            {
                if (freezer is not null)
                    await FreezeAsync(freezer, cancellationToken).ConfigureAwait(false);
                CgroupFiles.KillAll(freezer is not null ? CgroupFiles.ReadPids(Path.Combine(freezer, "cgroup.procs")).Union(pids) : pids);
                if (freezer is not null)
                    TryWrite(Path.Combine(freezer, "freezer.state"), "THAWED");
                await Task.Delay(5, cancellationToken).ConfigureAwait(false);
            }
        }

        public override void Remove()
        {
            foreach (var directory in directories.Values)
            {
                try
                {
                    CgroupFiles.RemoveDirectory(directory);
                }
                catch (IOException)
                {
                    // A process that would not die (uninterruptible sleep): the cgroup stays, the next agent start retries.
                }
            }
        }

        /// <summary>Freezes the cgroup, so that no process forks between reading the pids and killing them; SIGKILL lands on thaw.</summary>
        private static async Task FreezeAsync(string freezer, CancellationToken cancellationToken)
        {
            var state = Path.Combine(freezer, "freezer.state");
            if (!TryWrite(state, "FROZEN"))
                return;
            var until = DateTime.UtcNow + TimeSpan.FromSeconds(1);
            while (DateTime.UtcNow < until && ReadState(state) != "FROZEN")
                await Task.Delay(1, cancellationToken).ConfigureAwait(false);
        }

        private static string ReadState(string file)
        {
            try
            {
                return File.ReadAllText(file).Trim();
            }
            catch (IOException)
            {
                return "";
            }
        }

        private static bool TryWrite(string file, string value)
        {
            try
            {
                CgroupFiles.Write(file, value);
                return true;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return false;
            }
        }
    }
}

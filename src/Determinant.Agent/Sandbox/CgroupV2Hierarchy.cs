using System.Globalization;

namespace Determinant.Agent.Sandbox;

/// <summary>
/// Task cgroups in the unified (v2) hierarchy, with the memory and pids controllers enabled for them. v2 lets a cgroup
/// hand controllers to its children only while it holds no process itself, so when the agent's own cgroup holds
/// processes (not the root) the agent first moves itself into a leaf <c>…/determinant-agent-&lt;id&gt;.agent</c> beside its task parent.
/// </summary>
internal sealed class CgroupV2Hierarchy : CgroupHierarchy
{
    private const string Controllers = "+memory +pids";
    private readonly string _parent;

    private CgroupV2Hierarchy(string parent) => _parent = parent;

    public override string Description => $"cgroup v2 (memory, pids) at {_parent}";

    public static CgroupV2Hierarchy Open(CgroupMount unified, string ownPath, string agentId)
    {
        ArgumentNullException.ThrowIfNull(unified);
        var own = CgroupMounts.Directory(unified, ownPath);
        var name = ParentName(agentId);
        try
        {
            CgroupFiles.Write(Path.Combine(own, "cgroup.subtree_control"), Controllers);
        }
        catch (IOException) when (ownPath != "/")
        {
            // The agent's cgroup holds processes: move them (the agent's threads come along) into a leaf of their own.
            var leaf = Path.Combine(own, name + ".agent");
            Directory.CreateDirectory(leaf);
            foreach (var pid in CgroupFiles.ReadPids(Path.Combine(own, "cgroup.procs")))
                CgroupFiles.Write(Path.Combine(leaf, "cgroup.procs"), pid);
            CgroupFiles.Write(Path.Combine(own, "cgroup.subtree_control"), Controllers);
        }
        var parent = Path.Combine(own, name);
        Directory.CreateDirectory(parent);
        CgroupFiles.Write(Path.Combine(parent, "cgroup.subtree_control"), Controllers);
        return new CgroupV2Hierarchy(parent);
    }

    public override TaskCgroup Create(string name, long? memoryBytes, int? pids)
    {
        var cgroup = new V2TaskCgroup(name, Path.Combine(_parent, name));
        try
        {
            Directory.CreateDirectory(cgroup.Directory);
            if (memoryBytes is { } bytes)
                CgroupFiles.Write(Path.Combine(cgroup.Directory, "memory.max"), bytes);
            CgroupFiles.Write(Path.Combine(cgroup.Directory, "pids.max"), pids is { } max ? max.ToString(CultureInfo.InvariantCulture) : "max");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            cgroup.Remove();
            throw new IOException($"cannot make task cgroup {name}: {e.Message}", e);
        }
        return cgroup;
    }

    public override IReadOnlyList<TaskCgroup> Leftovers() =>
        Directory.Exists(_parent) ? [.. Directory.EnumerateDirectories(_parent).Select(d => new V2TaskCgroup(Path.GetFileName(d), d))] : [];

    public override void RemoveParent()
    {
        try
        {
            CgroupFiles.RemoveDirectory(_parent);
        }
        catch (IOException)
        {
            // Still holds a task cgroup: left as it is.
        }
    }

    private sealed class V2TaskCgroup(string name, string directory) : TaskCgroup(name)
    {
        public string Directory { get; } = directory;

        public override IReadOnlyList<string> ProcsFiles => [Path.Combine(Directory, "cgroup.procs")];

        public override IReadOnlyList<int> Pids() => CgroupFiles.ReadPids(ProcsFiles[0]);

        public override bool OomKilled() => CgroupFiles.ReadKey(Path.Combine(Directory, "memory.events"), "oom_kill") > 0;

        public override async Task KillAllAsync(CancellationToken cancellationToken)
        {
            var kill = Path.Combine(Directory, "cgroup.kill");
            if (File.Exists(kill) && Pids().Count > 0)
                CgroupFiles.Write(kill, "1");
            else
                CgroupFiles.KillAll(Pids());
            await WaitEmptyAsync(cancellationToken).ConfigureAwait(false);
        }

        public override void Remove()
        {
            try
            {
                CgroupFiles.RemoveDirectory(Directory);
            }
            catch (IOException)
            {
                // A process that would not die: the next agent start retries.
            }
        }
    }
}

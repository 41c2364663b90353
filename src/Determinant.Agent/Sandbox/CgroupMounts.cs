namespace Determinant.Agent.Sandbox;

/// <summary>The cgroup file systems mounted on this machine (<c>/proc/self/mountinfo</c>) and the agent's own cgroup paths (<c>/proc/self/cgroup</c>).</summary>
/// <param name="Unified">The cgroup2 mount when <c>/sys/fs/cgroup</c> itself is cgroup2, else null.</param>
/// <param name="V1">Each v1 controller (<c>memory</c>, <c>pids</c>, <c>freezer</c>) to its mount point and the mount's root.</param>
internal sealed record CgroupMounts(CgroupMount? Unified, IReadOnlyDictionary<string, CgroupMount> V1)
{
    public const string Root = "/sys/fs/cgroup";

    public static CgroupMounts Read()
    {
        CgroupMount? unified = null;
        var v1 = new Dictionary<string, CgroupMount>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines("/proc/self/mountinfo"))
        {
            // id parent major:minor root mount-point options [optional…] - type source super-options
            var halves = line.Split(" - ", 2);
            if (halves.Length != 2)
                continue;
            var fields = halves[0].Split(' ');
            var tail = halves[1].Split(' ');
            if (fields.Length < 5 || tail.Length < 3)
                continue;
            var mount = new CgroupMount(Unescape(fields[4]), Unescape(fields[3]));
            if (tail[0] == "cgroup2" && mount.MountPoint == Root)
                unified = mount;
            else if (tail[0] == "cgroup")
            {
                foreach (var option in tail[2].Split(','))
                {
                    if (option is "memory" or "pids" or "freezer")
                        v1[option] = mount;
                }
            }
        }
        return new CgroupMounts(unified, v1);
    }

    /// <summary>The agent's cgroup path in the v1 hierarchy of <paramref name="controller"/>, or in v2 for <c>""</c>.</summary>
    public static string OwnPath(string controller)
    {
        foreach (var line in File.ReadLines("/proc/self/cgroup"))
        {
            var parts = line.Split(':', 3);
            if (parts.Length == 3 && (controller.Length == 0 ? parts[0] == "0" && parts[1].Length == 0 : parts[1].Split(',').Contains(controller)))
                return parts[2];
        }
        return "/";
    }

    /// <summary>The directory of <paramref name="ownPath"/> in <paramref name="mount"/>, allowing for a mount of a sub-tree (a cgroup namespace).</summary>
    public static string Directory(CgroupMount mount, string ownPath)
    {
        ArgumentNullException.ThrowIfNull(mount);
        var relative = mount.Root != "/" && ownPath.StartsWith(mount.Root, StringComparison.Ordinal) ? ownPath[mount.Root.Length..] : ownPath;
        return Path.Join(mount.MountPoint, relative.TrimStart('/'));
    }

    private static string Unescape(string field) => field.Replace("\\040", " ", StringComparison.Ordinal);
}

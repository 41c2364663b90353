using System.Globalization;
using Determinant.Protocol.Agent;

namespace Determinant.Agent.Sandbox;

/// <summary>
/// The argv that runs a task in its sandbox: a shell writes its pid into the task's cgroup and execs bubblewrap, which
/// makes fresh mount, pid, IPC and cgroup namespaces showing only what <see cref="SandboxLayout"/> and the task's own
/// directories allow, and inside it <c>setpriv</c> drops to the task user, with no capabilities, before the task's argv
/// (after <c>startup-hook.sh</c> when the model definition has one).
/// </summary>
/// <remarks>
/// Signals: the agent signals the task's process group, which holds bwrap's monitor process too. bwrap does not forward
/// SIGTERM and dies of it, and <c>--die-with-parent</c> then SIGKILLs the task before its handler ran; so bwrap starts
/// with SIGTERM ignored (<c>env --ignore-signal=TERM</c>) and the task with it reset (<c>env --default-signal=TERM</c>):
/// a graceful kill reaches the task alone, bwrap exits with the task's code, and SIGKILL ends both. The pid namespace
/// ends with the task: everything it started dies with it, and its cgroup catches anything that escaped.
/// </remarks>
internal static class SandboxArgv
{
    /// <summary>The model definition's hook, run in the working directory before the entrypoint (as in Determined).</summary>
    public const string StartupHook = "startup-hook.sh";

    // "$1"… are cgroup.procs files up to "--", then the command: the pid survives the exec, so the whole sandbox is in the cgroup.
    private const string JoinCgroup = "while [ \"$1\" != -- ]; do echo $$ > \"$1\" || exit 125; shift; done; shift; exec \"$@\"";

    private const string RunHook = "sh " + StartupHook + " || { code=$?; echo \"" + StartupHook
        + " failed with exit code $code; the task's entrypoint did not run\" >&2; exit $code; }; exec \"$@\"";

    /// <summary>Where the task sees a mount: its container path, made absolute against the sandbox's working directory.</summary>
    public static string Target(TaskMount mount)
    {
        ArgumentNullException.ThrowIfNull(mount);
        return Path.TrimEndingDirectorySeparator(Path.GetFullPath(mount.ContainerPath, SandboxLayout.WorkDirectory));
    }

    /// <summary>Why the mounts cannot be set up, or null: a host path that is not absolute or does not exist.</summary>
    public static string? Check(IReadOnlyList<TaskMount> mounts, Func<string, bool> exists)
    {
        ArgumentNullException.ThrowIfNull(mounts);
        ArgumentNullException.ThrowIfNull(exists);
        foreach (var mount in mounts)
        {
            if (!Path.IsPathFullyQualified(mount.HostPath))
                return $"bind mount {mount.HostPath} -> {mount.ContainerPath}: host path must be absolute";
            if (!exists(mount.HostPath))
                return $"bind mount {mount.HostPath} -> {mount.ContainerPath}: host path does not exist";
        }
        return null;
    }

    /// <summary>The whole argv: cgroup join, bwrap and its options, the switch to the user, the hook, then <paramref name="argv"/>.</summary>
    /// <param name="layout">What every sandbox shows.</param>
    /// <param name="spec">The task's user and mounts.</param>
    /// <param name="hostWorkDirectory">The task's working directory on the host, shown at <see cref="SandboxLayout.WorkDirectory"/>.</param>
    /// <param name="procsFiles">The cgroup's <c>cgroup.procs</c> files.</param>
    /// <param name="startupHook">Run <see cref="StartupHook"/> first.</param>
    /// <param name="argv">The task's own argv.</param>
    public static IReadOnlyList<string> Build(
        SandboxLayout layout, SandboxSpec spec, string hostWorkDirectory, IReadOnlyList<string> procsFiles, bool startupHook, IReadOnlyList<string> argv)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(procsFiles);
        ArgumentNullException.ThrowIfNull(argv);
        var programs = layout.Programs;
        var result = new List<string> { programs.Shell, "-c", JoinCgroup, "det-cgroup" };
        result.AddRange(procsFiles);
        result.AddRange(["--", programs.Env, "--ignore-signal=TERM", "--", programs.Bwrap]);
        foreach (var entry in layout.System.OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            var path = "/" + entry.Name;
            result.AddRange(entry.LinkTarget is { } target ? ["--symlink", target, path] : ["--ro-bind", path, path]);
        }
        result.AddRange(["--proc", "/proc", "--dev", "/dev", "--perms", "1777", "--tmpfs", "/dev/shm"]);
        foreach (var device in layout.Devices)
            result.AddRange(["--dev-bind", device, device]);
        result.AddRange(["--ro-bind", "/sys", "/sys", "--perms", "1777", "--tmpfs", "/tmp"]);
        var made = new HashSet<string>(StringComparer.Ordinal) { "/", "/tmp" };
        foreach (var path in layout.ReadOnly)
            Bind(result, made, "--ro-bind", path, path);
        Bind(result, made, "--bind", hostWorkDirectory, SandboxLayout.WorkDirectory);
        foreach (var mount in spec.Mounts.OrderBy(m => Target(m).Count(c => c == '/')).ThenBy(Target, StringComparer.Ordinal))
            Bind(result, made, mount.ReadOnly ? "--ro-bind" : "--bind", mount.HostPath, Target(mount));
        foreach (var hidden in layout.Hidden)
            result.AddRange(Directory.Exists(hidden) ? ["--tmpfs", hidden] : ["--ro-bind", "/dev/null", hidden]);
        result.AddRange([
            "--unshare-pid", "--unshare-ipc", "--unshare-cgroup-try", "--die-with-parent", "--chdir", SandboxLayout.WorkDirectory,
            "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID",
            "--", programs.Env, "--default-signal=TERM", "--",
            programs.Setpriv, "--reuid=" + Text(spec.User.Uid), "--regid=" + Text(spec.User.Gid), "--clear-groups",
            "--inh-caps=-all", "--bounding-set=-all", "--"]);
        if (startupHook)
            result.AddRange([programs.Shell, "-c", RunHook, "det-startup-hook"]);
        result.AddRange(argv);
        return result;
    }

    /// <summary>
    /// Binds <paramref name="source"/> at <paramref name="target"/>, first making its missing parents <c>0755</c>: bwrap
    /// would make them <c>0700</c>, which the task user could not pass.
    /// </summary>
    private static void Bind(List<string> result, HashSet<string> made, string option, string source, string target)
    {
        foreach (var parent in Ancestors(target).Where(p => made.Add(p) && !SandboxLayout.SystemDirectories.Contains(p.Split('/')[1])))
            result.AddRange(["--perms", "0755", "--dir", parent]);
        made.Add(target);
        result.AddRange([option, source, target]);
    }

    /// <summary>The directories above <paramref name="path"/>, outermost first, without <c>/</c>.</summary>
    private static IEnumerable<string> Ancestors(string path)
    {
        for (var end = path.IndexOf('/', 1); end > 0; end = path.IndexOf('/', end + 1))
            yield return path[..end];
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}

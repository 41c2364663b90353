using Determinant.Protocol.Agent;

namespace Determinant.Agent.Tasks;

/// <summary>One entry of the host's <c>/</c>: a directory or file bound onto itself, or a symbolic link recreated as one.</summary>
/// <param name="Name">The entry's name, e.g. <c>usr</c>.</param>
/// <param name="LinkTarget">The link's target when the entry is a symbolic link (<c>usr/bin</c> for <c>/bin</c>), else null.</param>
internal sealed record RootEntry(string Name, string? LinkTarget = null);

/// <summary>
/// Runs a task's argv inside bubblewrap when a launch mounts a host path somewhere else (a notebook's shared directory at
/// <c>/determined_shared_fs</c>). The process sees the host as it is: bwrap's root is a tmpfs onto which every top-level
/// entry of the host's <c>/</c> is bound onto itself (<c>/proc</c> fresh, <c>/dev</c> and <c>/sys</c> the host's), so
/// a mount point at the top level is made in that tmpfs and nothing is created in the host's root. The network stays shared.
/// </summary>
/// <remarks>
/// Signals: the agent signals the task's process group, which holds bwrap's monitor process too. bwrap does not forward
/// SIGTERM and dies of it, and <c>--die-with-parent</c> then SIGKILLs the task before its handler ran; so bwrap starts
/// with SIGTERM ignored (<c>env --ignore-signal=TERM</c>) and the task with it reset (<c>env --default-signal=TERM</c>):
/// a graceful kill reaches the task alone, bwrap exits with the task's code, and SIGKILL ends both.
/// </remarks>
internal static class TaskSandbox
{
    public const string MissingBubblewrap = "bind mounts to another path need bubblewrap (apt-get install bubblewrap)";

    /// <summary>Entries of <c>/</c> that bwrap provides itself.</summary>
    private static readonly HashSet<string> Provided = new(StringComparer.Ordinal) { "proc", "dev", "sys" };

    /// <summary>Where the task sees a mount: its container path, made absolute against the working directory.</summary>
    public static string Target(TaskMount mount, string workDirectory)
    {
        ArgumentNullException.ThrowIfNull(mount);
        return Path.TrimEndingDirectorySeparator(Path.GetFullPath(mount.ContainerPath, workDirectory));
    }

    /// <summary>The mounts that show a host path at another path; those need the sandbox (the others the process sees already).</summary>
    public static IReadOnlyList<TaskMount> Remapped(IReadOnlyList<TaskMount>? mounts, string workDirectory) =>
        [.. (mounts ?? []).Where(m => !string.Equals(
            Path.TrimEndingDirectorySeparator(Path.GetFullPath(m.HostPath)), Target(m, workDirectory), StringComparison.Ordinal))];

    /// <summary>Why the remapped mounts cannot be set up, or null: a host path that does not exist, or no bwrap.</summary>
    public static string? Check(IReadOnlyList<TaskMount> remapped, string? bwrap, Func<string, bool> exists)
    {
        ArgumentNullException.ThrowIfNull(remapped);
        ArgumentNullException.ThrowIfNull(exists);
        foreach (var mount in remapped)
        {
            if (!Path.IsPathFullyQualified(mount.HostPath))
                return $"bind mount {mount.HostPath} -> {mount.ContainerPath}: host path must be absolute";
            if (!exists(mount.HostPath))
                return $"bind mount {mount.HostPath} -> {mount.ContainerPath}: host path does not exist";
        }
        return remapped.Count > 0 && bwrap is null ? MissingBubblewrap : null;
    }

    /// <summary>The argv that runs <paramref name="argv"/> in the sandbox: bwrap's options, then the task's argv.</summary>
    /// <param name="env">coreutils' env program (absolute), which sets the signal dispositions.</param>
    /// <param name="bwrap">The bwrap program.</param>
    /// <param name="root">The host's top-level entries (<see cref="ReadRoot"/>).</param>
    /// <param name="workDirectory">The task's working directory, kept inside.</param>
    /// <param name="remapped">The mounts to set up (<see cref="Remapped"/>); parents before children.</param>
    /// <param name="argv">The task's own argv.</param>
    public static IReadOnlyList<string> Argv(
        string env, string bwrap, IEnumerable<RootEntry> root, string workDirectory, IReadOnlyList<TaskMount> remapped, IReadOnlyList<string> argv)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(remapped);
        ArgumentNullException.ThrowIfNull(argv);
        var result = new List<string> { env, "--ignore-signal=TERM", "--", bwrap };
        foreach (var entry in root.Where(e => !Provided.Contains(e.Name)).OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            var path = "/" + entry.Name;
            result.AddRange(entry.LinkTarget is { } target ? ["--symlink", target, path] : ["--bind", path, path]);
        }
        // The host's devices (GPUs, /dev/shm for NCCL) and /sys (read-only) as the process would see them unsandboxed.
        result.AddRange(["--proc", "/proc", "--dev-bind", "/dev", "/dev", "--ro-bind", "/sys", "/sys"]);
        result.AddRange(["--die-with-parent", "--chdir", workDirectory]);
        foreach (var mount in remapped.OrderBy(m => Target(m, workDirectory).Count(c => c == '/')).ThenBy(m => Target(m, workDirectory), StringComparer.Ordinal))
            result.AddRange([mount.ReadOnly ? "--ro-bind" : "--bind", mount.HostPath, Target(mount, workDirectory)]);
        result.AddRange(["--", env, "--default-signal=TERM", "--"]);
        result.AddRange(argv);
        return result;
    }

    /// <summary>The host's top-level entries, hidden ones included.</summary>
    public static IReadOnlyList<RootEntry> ReadRoot() =>
        [.. new DirectoryInfo("/").EnumerateFileSystemInfos().Select(e => new RootEntry(e.Name, e.LinkTarget))];
}

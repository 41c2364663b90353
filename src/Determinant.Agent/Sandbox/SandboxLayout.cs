namespace Determinant.Agent.Sandbox;

/// <summary>
/// What every sandbox of this agent shows of the host, found once at start: the system directories (read-only), the
/// install paths tasks need (read-only: the .NET root, the harness, <c>sdk_dir</c>, <c>jupyter_path</c> and its kernels'
/// programs, <c>sandbox_read_only_paths</c>), the GPU device nodes, and files to hide even there (the agent token file).
/// </summary>
/// <param name="Programs">Absolute paths of <c>env</c>, <c>bwrap</c>, <c>setpriv</c> and <c>sh</c>.</param>
/// <param name="System">Top-level entries of <c>/</c> shown read-only: directories, or symbolic links recreated.</param>
/// <param name="ReadOnly">Further host paths shown read-only at their own path.</param>
/// <param name="Devices">GPU device nodes under <c>/dev</c> (<c>/dev/nvidia0</c>, <c>/dev/nvidiactl</c>, …).</param>
/// <param name="Hidden">Host files covered by an empty file where a read-only path would show them.</param>
internal sealed record SandboxLayout(
    SandboxPrograms Programs, IReadOnlyList<RootEntry> System, IReadOnlyList<string> ReadOnly, IReadOnlyList<string> Devices, IReadOnlyList<string> Hidden)
{
    /// <summary>The top-level directories a task sees read-only, when the host has them.</summary>
    public static readonly IReadOnlySet<string> SystemDirectories =
        new HashSet<string>(StringComparer.Ordinal) { "usr", "etc", "bin", "sbin", "lib", "lib32", "lib64", "libx32", "opt" };

    /// <summary>Where a task sees its working directory; <c>DET_WORKDIR</c> and its current directory (as in Determined).</summary>
    public const string WorkDirectory = "/run/determined/workdir";

    /// <summary>Every path shown read-only, for the check whether a hidden file would be visible.</summary>
    public IEnumerable<string> Visible => System.Where(e => e.LinkTarget is null).Select(e => "/" + e.Name).Concat(ReadOnly);
}

using System.Collections.Concurrent;
using System.Globalization;
using Determinant.Agent.Hosting;
using Determinant.Protocol.Agent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Determinant.Agent.Sandbox;

/// <summary>
/// Runs every task of this agent in a sandbox (docs/security.md, "Task sandbox"): bubblewrap namespaces showing only the
/// system directories, the install paths tasks need, the task's own working directory, mounts and checkpoint storage;
/// an unprivileged user; and a cgroup of its own with memory and pids limits, killed as a whole when the task ends.
/// With <c>unsandboxed: true</c> it is off and tasks run as the agent's own user, as processes of the agent's session.
/// </summary>
internal sealed partial class TaskSandbox : IDisposable
{
    private readonly AgentOptions _options;
    private readonly ILogger<TaskSandbox> _logger;
    private readonly SandboxLayout? _layout;
    private readonly CgroupHierarchy? _cgroups;
    private readonly ConcurrentDictionary<string, bool> _openedStorage = new(StringComparer.Ordinal);
    private readonly string _workRoot;
    private readonly TaskUser? _defaultUser;

    /// <exception cref="InvalidOperationException">The sandbox cannot be set up (the options' validation reports why first).</exception>
    public TaskSandbox(IOptions<AgentOptions> options, ILogger<TaskSandbox> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _logger = logger;
        _workRoot = Path.GetFullPath(_options.WorkDir);
        if (_options.Unsandboxed)
        {
            LogUnsandboxed(logger);
            return;
        }
        var missing = new List<string>();
        var programs = SandboxSupport.Programs(_options, missing) ?? throw new InvalidOperationException(string.Join("; ", missing));
        _cgroups = CgroupHierarchy.Detect(_options.ResolvedAgentId, out var noCgroups) ?? throw new InvalidOperationException(noCgroups);
        try
        {
            _defaultUser = TaskAccounts.Default(_options.TaskUser);
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException(e.Message, e);
        }
        _layout = SandboxLayouts.Discover(_options, programs);
        Directory.CreateDirectory(_workRoot);
        // Traversable, not listable: a task user reaches nothing in it (its own directory is shown elsewhere anyway).
        File.SetUnixFileMode(_workRoot, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        if (logger.IsEnabled(LogLevel.Information))
        {
            var shown = string.Join(", ", _layout.ReadOnly);
            var cgroups = _cgroups.Description;
            LogSandboxed(logger, _defaultUser.Uid, _defaultUser.Name ?? "", cgroups, shown);
        }
    }

    /// <summary>False with <c>unsandboxed: true</c>; the agent reports it when it registers.</summary>
    public bool Enabled => _layout is not null;

    /// <summary>The sandbox a launch gets: its user (never root), mounts and limits (its own, else the agent's defaults).</summary>
    /// <exception cref="ArgumentException">The launch would run as root.</exception>
    public SandboxSpec SpecOf(LaunchCommand launch)
    {
        ArgumentNullException.ThrowIfNull(launch);
        var user = TaskAccounts.Of(launch, _defaultUser!);
        var memory = launch.Limits?.MemoryBytes;
        return new SandboxSpec(user, launch.Mounts ?? [], memory ?? _options.TaskMemoryLimitBytes, launch.Limits?.Pids ?? _options.TaskPidsLimit,
            memory is not null ? "resources.memory_limit" : "the agent's task_memory_limit");
    }

    /// <summary>
    /// Readies the host side for a sandbox: the mounts exist, the working directory belongs to the task user, and the
    /// checkpoint storage is writable by it.
    /// </summary>
    /// <exception cref="ArgumentException">A mount's host path is missing; the message names the mount.</exception>
    /// <exception cref="IOException">The directory cannot be handed over.</exception>
    public void PrepareHost(SandboxSpec spec, string hostWorkDirectory)
    {
        ArgumentNullException.ThrowIfNull(spec);
        foreach (var storage in spec.Mounts.Where(m => m.CheckpointStorage && !m.ReadOnly))
            OpenStorage(storage.HostPath, spec.User);
        if (SandboxArgv.Check(spec.Mounts, p => Path.Exists(p)) is { } failure)
            throw new ArgumentException(failure);
        ChownTree(hostWorkDirectory, spec.User);
    }

    /// <summary>The argv that runs <paramref name="argv"/> in <paramref name="spec"/>'s sandbox, and the cgroup it joins.</summary>
    /// <exception cref="IOException">The cgroup cannot be made.</exception>
    public (IReadOnlyList<string> Argv, TaskCgroup Cgroup) Wrap(SandboxSpec spec, string hostWorkDirectory, string cgroupName, IReadOnlyList<string> argv)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var layout = _layout ?? throw new InvalidOperationException("the sandbox is off");
        var extra = SandboxLayouts.ProgramDirectories(layout, argv, _workRoot);
        var cgroup = _cgroups!.Create(cgroupName, spec.MemoryBytes, spec.Pids);
        var hook = File.Exists(Path.Combine(hostWorkDirectory, SandboxArgv.StartupHook));
        var full = SandboxArgv.Build(extra.Count > 0 ? layout with { ReadOnly = [.. layout.ReadOnly, .. extra] } : layout,
            spec, hostWorkDirectory, cgroup.ProcsFiles, hook, argv);
        return (full, cgroup);
    }

    /// <summary>What a sandboxed task's environment says differently: its working directory, home, temp and user.</summary>
    public static void Adjust(Dictionary<string, string> environment, TaskUser user)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(user);
        environment["DET_WORKDIR"] = SandboxLayout.WorkDirectory;
        // Jupyter, the .NET CLI and the C# kernel write below HOME; the working directory is the task's one writable place.
        environment["HOME"] = SandboxLayout.WorkDirectory;
        environment["DOTNET_CLI_HOME"] = SandboxLayout.WorkDirectory;
        environment["TMPDIR"] = "/tmp";
        var name = user.Name ?? user.Uid.ToString(CultureInfo.InvariantCulture);
        environment["USER"] = name;
        environment["LOGNAME"] = name;
    }

    /// <summary>The line the task's logs get when the kernel's OOM killer ended it.</summary>
    public static string OomMessage(SandboxSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var limit = spec.MemoryBytes is { } bytes ? ByteSizeText.Format(bytes) : "none";
        return $"the task was killed by the kernel: out of memory (memory limit {limit}, {spec.MemoryLimitSource})";
    }

    /// <summary>
    /// On agent start: kills every process left in this agent's task cgroups by a previous run (it has no pipes to them
    /// and cannot supervise them) and removes the cgroups.
    /// </summary>
    public async Task KillLeftoversAsync(CancellationToken cancellationToken)
    {
        if (_cgroups is null)
            return;
        foreach (var cgroup in _cgroups.Leftovers())
        {
            var pids = cgroup.Pids();
            await cgroup.DestroyAsync(cancellationToken).ConfigureAwait(false);
            if (_logger.IsEnabled(LogLevel.Warning))
                LogLeftoverKilled(_logger, cgroup.Name, pids.Count, string.Join(" ", pids));
        }
    }

    public void Dispose() => _cgroups?.RemoveParent();

    /// <summary>
    /// A checkpoint storage directory the task user cannot write: created when missing, and when the agent owns it, made
    /// writable for everyone with the sticky bit (like <c>/tmp</c>: each task deletes only its own files), logged once.
    /// </summary>
    private void OpenStorage(string path, TaskUser user)
    {
        if (!Path.IsPathFullyQualified(path) || File.Exists(path))
            return;
        Directory.CreateDirectory(path);
        var info = new DirectoryInfo(path);
        var mode = info.UnixFileMode;
        if ((mode & UnixFileMode.OtherWrite) != 0 || Libc.Owner(path) is not { } owner || owner != Libc.GetEuid() || owner == user.Uid)
            return;
        info.UnixFileMode = mode | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute | UnixFileMode.OtherRead
            | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute | UnixFileMode.GroupRead | UnixFileMode.StickyBit;
        if (_openedStorage.TryAdd(path, true))
            LogStorageOpened(_logger, path);
    }

    private static void ChownTree(string directory, TaskUser user)
    {
        Chown(directory, user);
        foreach (var entry in Directory.EnumerateFileSystemEntries(directory, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
            Chown(entry, user);
    }

    private static void Chown(string path, TaskUser user)
    {
        if (Libc.Lchown(path, user.Uid, user.Gid) != 0)
            throw new IOException($"cannot hand {path} to uid {user.Uid}: errno {System.Runtime.InteropServices.Marshal.GetLastPInvokeError()}");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Tasks run sandboxed as uid {Uid} ({Name}) by default, in {Cgroups}; install paths shown read-only: {ReadOnly}")]
    private static partial void LogSandboxed(ILogger logger, int uid, string name, string cgroups, string readOnly);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Unsandboxed: tasks run without isolation, as the agent's own user")]
    private static partial void LogUnsandboxed(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Killed {Count} process(es) left in task cgroup {Cgroup} by a previous run of this agent: {Pids}")]
    private static partial void LogLeftoverKilled(ILogger logger, string cgroup, int count, string pids);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Checkpoint storage {Path} was not writable by task users; the agent made it writable for all with the sticky bit, like /tmp")]
    private static partial void LogStorageOpened(ILogger logger, string path);
}

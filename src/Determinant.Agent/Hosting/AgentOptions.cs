using Microsoft.Extensions.Configuration;

namespace Determinant.Agent.Hosting;

/// <summary>
/// The agent's settings: appsettings.json, then <c>DET_</c> environment variables (<c>DET_MASTER</c>, <c>DET_AGENT_ID</c>),
/// then flags (<c>--master</c>, <c>--agent-id</c>). Keys are snake_case like the master's.
/// </summary>
internal sealed class AgentOptions
{
    /// <summary>The master's base URL as this machine reaches it; tasks get it as <c>DET_MASTER</c> unless the launch says otherwise.</summary>
    [ConfigurationKeyName("master")] public string Master { get; set; } = "http://localhost:8080";

    /// <summary>Unique in the cluster; the host name when not set.</summary>
    [ConfigurationKeyName("agent_id")] public string? AgentId { get; set; }

    /// <summary>CPU slots to offer; when unset, one slot per GPU that <c>nvidia-smi</c> lists, else one per processor.</summary>
    [ConfigurationKeyName("slots")] public int? Slots { get; set; }

    /// <summary>Each allocation runs in <c>&lt;work_dir&gt;/&lt;allocation id&gt;/</c>.</summary>
    [ConfigurationKeyName("work_dir")] public string WorkDir { get; set; } = Path.Combine(Path.GetTempPath(), "determinant-agent");

    /// <summary>The shared agent token itself (environment <c>DET_AGENT_TOKEN</c>); wins over <see cref="TokenFile"/>.</summary>
    [ConfigurationKeyName("agent_token")] public string? AgentToken { get; set; }

    /// <summary>A file holding the agent token, e.g. the master's <c>&lt;data_dir&gt;/agent_token</c>.</summary>
    [ConfigurationKeyName("token_file")] public string? TokenFile { get; set; }

    [ConfigurationKeyName("resource_pool")] public string? ResourcePool { get; set; }

    /// <summary>How long a graceful kill waits after SIGTERM before SIGKILL (REFERENCE §5.5).</summary>
    [ConfigurationKeyName("kill_grace_seconds")] public double KillGraceSeconds { get; set; } = 10;

    /// <summary>Log lines held while the master is unreachable; a full buffer pauses reading the tasks' output.</summary>
    [ConfigurationKeyName("log_buffer_lines")] public int LogBufferLines { get; set; } = 100_000;

    [ConfigurationKeyName("log_batch_lines")] public int LogBatchLines { get; set; } = 1_000;

    /// <summary>First and largest wait between retries of a failed request to the master.</summary>
    [ConfigurationKeyName("retry_min_ms")] public int RetryMinMilliseconds { get; set; } = 250;

    [ConfigurationKeyName("retry_max_ms")] public int RetryMaxMilliseconds { get; set; } = 5_000;

    /// <summary>Keep each allocation's working directory after it exits (for debugging).</summary>
    [ConfigurationKeyName("keep_work_dirs")] public bool KeepWorkDirs { get; set; }

    /// <summary>
    /// Keep one harness process started ahead of need, so that the next trial skips runtime start, libtorch load and JIT
    /// (it waits with about 150 MB resident). Off: every trial starts a fresh process.
    /// </summary>
    [ConfigurationKeyName("standby_harness")] public bool StandbyHarness { get; set; } = true;

    /// <summary>Variables of the agent's own environment that tasks inherit; everything else comes from the launch command.</summary>
    [ConfigurationKeyName("pass_env")]
    public string[] PassEnv { get; set; } =
        ["PATH", "HOME", "USER", "LOGNAME", "SHELL", "LANG", "LC_ALL", "TZ", "TMPDIR", "LD_LIBRARY_PATH", "DOTNET_ROOT", "NUGET_PACKAGES"];

    /// <summary>
    /// The <c>tensorboard</c> executable for TensorBoard tasks; when unset, the first one on the agent's <c>PATH</c>. An
    /// agent without one offers no TensorBoards (the master refuses them at once rather than queueing them).
    /// </summary>
    [ConfigurationKeyName("tensorboard_path")] public string? TensorBoardPath { get; set; }

    /// <summary>
    /// A folder holding the .NET SDK (Determinant.Client, Determinant.Client.Torch, TorchSharp with its native libraries),
    /// such as <c>.det-build/sdk</c>; tasks get it as <c>DET_SDK_DIR</c>, so that a notebook's C# cells can reference it.
    /// </summary>
    [ConfigurationKeyName("sdk_dir")] public string? SdkDir { get; set; }

    /// <summary>Jupyter data directories with kernel specs beyond the system's (the C# kernel); tasks get it as <c>JUPYTER_PATH</c>.</summary>
    [ConfigurationKeyName("jupyter_path")] public string? JupyterPath { get; set; }

    /// <summary>
    /// Run tasks without the sandbox (docs/security.md): no namespaces, no cgroup, as the agent's own user. For machines
    /// without bubblewrap, namespaces or cgroups; the agent refuses to start there unless this is set.
    /// </summary>
    [ConfigurationKeyName("unsandboxed")] public bool Unsandboxed { get; set; }

    /// <summary>The bubblewrap program; when unset, <c>bwrap</c> on the agent's <c>PATH</c>.</summary>
    [ConfigurationKeyName("bwrap_path")] public string? BwrapPath { get; set; }

    /// <summary>
    /// The account tasks run as unless their owner is linked to an agent user: a name, or <c>uid:gid</c>. When unset, the
    /// system account <c>det-task</c>, which the agent creates if it is missing. Never root.
    /// </summary>
    [ConfigurationKeyName("task_user")] public string? TaskUser { get; set; }

    /// <summary>Each task process's memory limit unless its config sets <c>resources.memory_limit</c>: bytes or <c>512Mi</c>, <c>8Gi</c>; unset: none.</summary>
    [ConfigurationKeyName("task_memory_limit")] public string? TaskMemoryLimit { get; set; }

    /// <summary>Each task process's limit on processes and threads unless its config sets <c>resources.pids_limit</c>.</summary>
    [ConfigurationKeyName("task_pids_limit")] public int TaskPidsLimit { get; set; } = 4096;

    /// <summary>Further host paths every task sees read-only at their own path (site installs outside <c>/usr</c> and <c>/opt</c>).</summary>
    [ConfigurationKeyName("sandbox_read_only_paths")] public string[] SandboxReadOnlyPaths { get; set; } = [];

    /// <summary><see cref="TaskMemoryLimit"/> in bytes; null when unset.</summary>
    public long? TaskMemoryLimitBytes => Sandbox.ByteSizeText.Parse(TaskMemoryLimit);

    /// <summary>What this agent's install gives every task ahead of the launch's own variables: <c>DET_SDK_DIR</c>, <c>JUPYTER_PATH</c>.</summary>
    public IReadOnlyDictionary<string, string> InstallEnvironment()
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!string.IsNullOrEmpty(SdkDir))
            env["DET_SDK_DIR"] = Path.TrimEndingDirectorySeparator(Path.GetFullPath(SdkDir));
        if (!string.IsNullOrEmpty(JupyterPath))
            env["JUPYTER_PATH"] = string.Join(':', JupyterPath.Split(':', StringSplitOptions.RemoveEmptyEntries).Select(Path.GetFullPath));
        return env;
    }

    public string ResolvedAgentId => string.IsNullOrWhiteSpace(AgentId) ? Environment.MachineName : AgentId;

    public TimeSpan KillGrace => TimeSpan.FromSeconds(KillGraceSeconds);
}

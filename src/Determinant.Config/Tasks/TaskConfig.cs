namespace Determinant.Config;

/// <summary>Which task a <see cref="TaskConfig"/> is for: the defaults and rules differ (REFERENCE.md §7.5).</summary>
public enum TaskConfigKind
{
    /// <summary>A Jupyter notebook: one slot unless told otherwise.</summary>
    Notebook,

    /// <summary>A TensorBoard: never a slot.</summary>
    Tensorboard,

    /// <summary>A command: one slot unless told otherwise.</summary>
    Command,
}

/// <summary>The config of a notebook, TensorBoard or command (REFERENCE.md §7.5), with defaults applied.</summary>
/// <param name="Description">Its description; null: the caller makes one up.</param>
/// <param name="Slots">Slots it holds (0: none, a CPU-only task).</param>
/// <param name="ResourcePool">Its pool; null: the default.</param>
/// <param name="Priority">1 (first) to 99; null: the default.</param>
/// <param name="Weight">Its fair share; null: 1.</param>
/// <param name="BindMounts">Host paths it sees.</param>
/// <param name="EnvironmentVariables">Added to its environment.</param>
/// <param name="Entrypoint">What a command runs.</param>
/// <param name="IdleTimeout">It is killed after this long idle; null: never.</param>
/// <param name="NotebookIdleType"><c>kernels_or_terminals</c>, <c>kernel_connections</c> or <c>activity</c>.</param>
/// <param name="WorkDir">Where it starts; null: its context directory.</param>
/// <param name="Debug">More logging.</param>
/// <param name="MemoryLimit"><c>resources.memory_limit</c> in bytes; null: the agent's default.</param>
/// <param name="PidsLimit"><c>resources.pids_limit</c>; null: the agent's default.</param>
public sealed record TaskConfig(
    string? Description,
    int Slots,
    string? ResourcePool,
    int? Priority,
    double? Weight,
    IReadOnlyList<BindMount> BindMounts,
    IReadOnlyDictionary<string, string> EnvironmentVariables,
    IReadOnlyList<string>? Entrypoint,
    TimeSpan? IdleTimeout,
    string NotebookIdleType,
    string? WorkDir,
    bool Debug,
    long? MemoryLimit = null,
    int? PidsLimit = null);

/// <summary>A loaded task config, or the errors that stopped it (each names its path, e.g. <c>&lt;config&gt;.resources.slots</c>).</summary>
public sealed record TaskConfigLoadResult(TaskConfig? Config, IReadOnlyList<ConfigError> Errors)
{
    /// <summary>It loaded, with no error.</summary>
    public bool IsValid => Errors.Count == 0 && Config is not null;
}

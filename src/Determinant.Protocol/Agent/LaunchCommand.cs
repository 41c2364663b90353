namespace Determinant.Protocol.Agent;

/// <summary>Start one process of a task (one rank) on the given slots.</summary>
/// <param name="AllocationId">The allocation (<c>&lt;task_id&gt;.&lt;run_id&gt;</c>); also the working directory's name.</param>
/// <param name="TaskId">The task.</param>
/// <param name="TaskType"><c>TRIAL</c>, <c>NOTEBOOK</c>, <c>TENSORBOARD</c>, <c>COMMAND</c>, <c>SHELL</c> or <c>CHECKPOINT_GC</c>.</param>
/// <param name="SlotIds">Agent-local slot indices the process may use.</param>
/// <param name="Argv">What to execute: the program (looked up on PATH) and its arguments.</param>
/// <param name="Env">The task's environment (<c>DET_*</c> of REFERENCE §7.1, rank variables); added to a clean base.</param>
/// <param name="ModelDefinition">Extracted into the working directory; null for an empty directory.</param>
/// <param name="RankId">The process's rank in a multi-slot task; tags its log lines.</param>
/// <param name="ContainerId">Tags log lines and sets <c>DET_CONTAINER_ID</c>; the agent makes one up when null.</param>
/// <param name="User">The task's owner (a Determinant user name), for the agent's logs.</param>
/// <param name="Mounts">What the task sees of the host besides its working directory and the system directories.</param>
/// <param name="Limits">Its cgroup's limits; null: the agent's defaults.</param>
/// <param name="Ports">Ports the agent picks for the task and reports in the RUNNING event.</param>
/// <param name="RunAs">The linked agent user the task runs as; null: the agent's unprivileged default account.</param>
public sealed record LaunchCommand(
    string AllocationId,
    string TaskId,
    string TaskType,
    IReadOnlyList<int> SlotIds,
    IReadOnlyList<string> Argv,
    IReadOnlyDictionary<string, string> Env,
    ModelDefinitionSource? ModelDefinition = null,
    int? RankId = null,
    string? ContainerId = null,
    string? User = null,
    IReadOnlyList<TaskMount>? Mounts = null,
    TaskLimits? Limits = null,
    IReadOnlyList<TaskPort>? Ports = null,
    TaskUser? RunAs = null);

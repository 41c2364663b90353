using System.Text.Json.Nodes;

namespace Determinant.Protocol.Api;

/// <summary>
/// <c>POST /api/v1/commands</c>: run <paramref name="Entrypoint"/> on the cluster in the files of <paramref name="Files"/>.
/// </summary>
/// <param name="ConfigYaml">The task config (REFERENCE.md §7.5) as YAML; null or empty for the defaults.</param>
/// <param name="Entrypoint">The program and its arguments; one element runs through <c>sh -c</c>.</param>
/// <param name="Files">The context directory's files (as for a model definition); may be empty.</param>
/// <param name="Overrides"><c>KEY=VALUE</c> settings over the config (<c>--config</c>).</param>
public sealed record CreateCommandRequest(
    string? ConfigYaml, IReadOnlyList<string> Entrypoint, IReadOnlyList<ModelDefinitionFile>? Files = null, IReadOnlyList<string>? Overrides = null);

/// <summary>A task other than a trial (command, notebook, TensorBoard), as the task lists show it.</summary>
/// <param name="Id">The task id (a UUID).</param>
/// <param name="TaskType"><c>COMMAND</c>, <c>NOTEBOOK</c>, <c>TENSORBOARD</c>.</param>
/// <param name="Description">Its description (from its config, or a made-up name).</param>
/// <param name="State"><c>STATE_QUEUED</c>, <c>STATE_STARTING</c>, <c>STATE_RUNNING</c>, <c>STATE_TERMINATING</c>, <c>STATE_TERMINATED</c>.</param>
/// <param name="Username">Its owner.</param>
/// <param name="UserId">Its owner's id.</param>
/// <param name="ResourcePool">The pool it runs in.</param>
/// <param name="Slots">The slots it holds (0 for a CPU-only notebook).</param>
/// <param name="StartTime">When it was created.</param>
/// <param name="EndTime">When it ended; null while it lives.</param>
/// <param name="ExitStatus">Why it ended; null while it lives.</param>
/// <param name="ServiceAddress">Where the master's proxy serves it (<c>/proxy/&lt;id&gt;/</c>); null for a task that serves nothing.</param>
/// <param name="Ready">Its service answers.</param>
/// <param name="ExperimentIds">A TensorBoard's experiments (empty when it was started from trials alone); null for other tasks.</param>
/// <param name="TrialIds">A TensorBoard's trials (every trial it shows); null for other tasks.</param>
public sealed record TaskDto(
    string Id, string TaskType, string Description, string State, string Username, int UserId, string ResourcePool, int Slots,
    DateTime StartTime, DateTime? EndTime, string? ExitStatus, string? ServiceAddress, bool Ready,
    IReadOnlyList<int>? ExperimentIds = null, IReadOnlyList<int>? TrialIds = null);

/// <summary>One command, notebook or TensorBoard and its config.</summary>
public sealed record CommandResponse(TaskDto Command, JsonObject? Config);

/// <summary><c>GET /api/v1/commands</c>.</summary>
public sealed record CommandsResponse(IReadOnlyList<TaskDto> Commands);

/// <summary><c>GET /api/v1/tasks/{id}</c>: one command, notebook or TensorBoard (not a trial).</summary>
public sealed record TaskResponse(TaskDto Task);

/// <summary><c>GET /api/v1/tasks</c>: every command, notebook and TensorBoard the caller may see, newest first.</summary>
public sealed record TasksResponse(IReadOnlyList<TaskDto> Tasks);

/// <summary><c>POST /api/v1/notebooks</c>: a Jupyter notebook server on the cluster, reached at <c>/proxy/&lt;id&gt;/</c>.</summary>
/// <param name="ConfigYaml">The notebook config (REFERENCE.md §7.5) as YAML; null or empty for the defaults.</param>
/// <param name="Files">The context directory's files, the notebook's starting directory; may be empty.</param>
/// <param name="Overrides"><c>KEY=VALUE</c> settings over the config (<c>--config</c>).</param>
public sealed record CreateNotebookRequest(string? ConfigYaml, IReadOnlyList<ModelDefinitionFile>? Files = null, IReadOnlyList<string>? Overrides = null);

/// <summary>One notebook and its config.</summary>
public sealed record NotebookResponse(TaskDto Notebook, JsonObject? Config);

/// <summary><c>GET /api/v1/notebooks</c>.</summary>
public sealed record NotebooksResponse(IReadOnlyList<TaskDto> Notebooks);

/// <summary>
/// <c>POST /api/v1/tensorboards</c>: a TensorBoard over the event files of the given experiments' trials (for an
/// experiment, its 100 best by searcher metric) and of the given trials; at most 100 trials in all.
/// </summary>
/// <param name="ExperimentIds">Experiments to show; may be empty when <paramref name="TrialIds"/> is not.</param>
/// <param name="TrialIds">Trials to show; may be empty when <paramref name="ExperimentIds"/> is not.</param>
/// <param name="ConfigYaml">The TensorBoard config (REFERENCE.md §7.5) as YAML; null or empty for the defaults.</param>
/// <param name="Overrides"><c>KEY=VALUE</c> settings over the config (<c>--config</c>).</param>
public sealed record CreateTensorboardRequest(
    IReadOnlyList<int>? ExperimentIds, IReadOnlyList<int>? TrialIds, string? ConfigYaml = null, IReadOnlyList<string>? Overrides = null);

/// <summary>One TensorBoard and its config.</summary>
public sealed record TensorboardResponse(TaskDto Tensorboard, JsonObject? Config);

/// <summary><c>GET /api/v1/tensorboards</c>.</summary>
public sealed record TensorboardsResponse(IReadOnlyList<TaskDto> Tensorboards);

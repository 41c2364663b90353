using System.Runtime.CompilerServices;
using System.Text.Json;
using Determinant.Protocol.Api;

namespace Determinant.Client;

public sealed partial class DeterminantClient
{
    /// <summary>Runs a command on the cluster (<c>det cmd run</c>): <paramref name="entrypoint"/> in the files of <paramref name="context"/>.</summary>
    /// <param name="entrypoint">The program and its arguments; a single string runs through <c>sh -c</c>.</param>
    /// <param name="configYaml">The task config (description, resources, bind_mounts, environment); null for the defaults.</param>
    /// <param name="context">The context directory's files (e.g. from <see cref="ModelDefinitionPackage.ReadFiles"/>); null for none.</param>
    /// <param name="overrides"><c>KEY=VALUE</c> settings over the config.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <exception cref="DeterminantApiException">The master refused it (an invalid config: 400, naming the field).</exception>
    public async Task<TaskDto> CreateCommandAsync(IReadOnlyList<string> entrypoint, string? configYaml = null,
        IReadOnlyList<ModelDefinitionFile>? context = null, IReadOnlyList<string>? overrides = null, CancellationToken cancellationToken = default)
    {
        var request = new CreateCommandRequest(configYaml, entrypoint, context, overrides);
        var response = await _api.PostAsync("api/v1/commands", request, ApiJsonContext.Default.CreateCommandRequest,
            ApiJsonContext.Default.CommandResponse, cancellationToken).ConfigureAwait(false);
        return response.Command;
    }

    /// <summary>The caller's commands (an admin's: everyone's), newest first.</summary>
    public async Task<IReadOnlyList<TaskDto>> ListCommandsAsync(CancellationToken cancellationToken = default) =>
        (await _api.GetAsync("api/v1/commands", ApiJsonContext.Default.CommandsResponse, cancellationToken).ConfigureAwait(false)).Commands;

    /// <summary>One command.</summary>
    /// <exception cref="DeterminantApiException">No such command (404) or not the caller's (403).</exception>
    public async Task<TaskDto> GetCommandAsync(string id, CancellationToken cancellationToken = default) =>
        (await _api.GetAsync($"api/v1/commands/{Uri.EscapeDataString(id)}", ApiJsonContext.Default.CommandResponse, cancellationToken).ConfigureAwait(false)).Command;

    /// <summary>Kills a command: a running one is stopped, a queued one ends at once.</summary>
    public async Task<TaskDto> KillCommandAsync(string id, CancellationToken cancellationToken = default)
    {
        await _api.SendAsync(HttpMethod.Post, $"api/v1/commands/{Uri.EscapeDataString(id)}/kill", cancellationToken).ConfigureAwait(false);
        return await GetCommandAsync(id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every command, notebook and TensorBoard the caller may see, newest first.</summary>
    public async Task<IReadOnlyList<TaskDto>> ListTasksAsync(CancellationToken cancellationToken = default) =>
        (await _api.GetAsync("api/v1/tasks", ApiJsonContext.Default.TasksResponse, cancellationToken).ConfigureAwait(false)).Tasks;

    /// <summary>A task's log lines, oldest first; with <paramref name="follow"/>, until the task ends.</summary>
    public async IAsyncEnumerable<TrialLogDto> StreamTaskLogsAsync(string taskId, bool follow, int? limit = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var path = $"api/v1/tasks/{Uri.EscapeDataString(taskId)}/logs?follow={(follow ? "true" : "false")}&limit={Id(limit ?? 0)}";
        using var response = await _api.OpenStreamAsync(path, cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0)
                continue;
            if (JsonSerializer.Deserialize(line, ApiJsonContext.Default.TrialLogLine)?.Result is { } log)
                yield return log;
        }
    }
}

public sealed partial class DeterminantClient
{
    /// <summary>Starts a Jupyter notebook on the cluster (<c>det notebook start</c>), reached at <c>&lt;master&gt;/proxy/&lt;id&gt;/</c> once ready.</summary>
    /// <param name="configYaml">The notebook config (description, resources, bind_mounts, idle_timeout); null for the defaults.</param>
    /// <param name="context">The files of the notebook's starting directory; null for none.</param>
    /// <param name="overrides"><c>KEY=VALUE</c> settings over the config.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <exception cref="DeterminantApiException">The master refused it (an invalid config: 400, naming the field).</exception>
    public async Task<TaskDto> CreateNotebookAsync(string? configYaml = null, IReadOnlyList<ModelDefinitionFile>? context = null,
        IReadOnlyList<string>? overrides = null, CancellationToken cancellationToken = default)
    {
        var response = await _api.PostAsync("api/v1/notebooks", new CreateNotebookRequest(configYaml, context, overrides),
            ApiJsonContext.Default.CreateNotebookRequest, ApiJsonContext.Default.NotebookResponse, cancellationToken).ConfigureAwait(false);
        return response.Notebook;
    }

    /// <summary>The caller's notebooks (an admin's: everyone's), newest first.</summary>
    public async Task<IReadOnlyList<TaskDto>> ListNotebooksAsync(CancellationToken cancellationToken = default) =>
        (await _api.GetAsync("api/v1/notebooks", ApiJsonContext.Default.NotebooksResponse, cancellationToken).ConfigureAwait(false)).Notebooks;

    /// <summary>One notebook; <see cref="TaskDto.Ready"/> says whether its Jupyter answers.</summary>
    public async Task<TaskDto> GetNotebookAsync(string id, CancellationToken cancellationToken = default) =>
        (await _api.GetAsync($"api/v1/notebooks/{Uri.EscapeDataString(id)}", ApiJsonContext.Default.NotebookResponse, cancellationToken)
            .ConfigureAwait(false)).Notebook;

    /// <summary>Kills a notebook and frees its resources.</summary>
    public async Task<TaskDto> KillNotebookAsync(string id, CancellationToken cancellationToken = default)
    {
        await _api.SendAsync(HttpMethod.Post, $"api/v1/notebooks/{Uri.EscapeDataString(id)}/kill", cancellationToken).ConfigureAwait(false);
        return await GetNotebookAsync(id, cancellationToken).ConfigureAwait(false);
    }
}

public sealed partial class DeterminantClient
{
    /// <summary>
    /// Starts a TensorBoard over the event files of <paramref name="experimentIds"/> (each experiment's 100 best trials) and
    /// <paramref name="trialIds"/> (<c>det tensorboard start</c>), reached at <c>&lt;master&gt;/proxy/&lt;id&gt;/</c> once ready.
    /// </summary>
    /// <param name="experimentIds">Experiments to show; may be empty when <paramref name="trialIds"/> is not.</param>
    /// <param name="trialIds">Trials to show; may be empty when <paramref name="experimentIds"/> is not.</param>
    /// <param name="configYaml">The TensorBoard config (description, resources.resource_pool, bind_mounts, idle_timeout); null for the defaults.</param>
    /// <param name="overrides"><c>KEY=VALUE</c> settings over the config.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <exception cref="DeterminantApiException">
    /// The master refused it: no agent has a <c>tensorboard</c> executable (400, saying how to install one), no id or more
    /// than 100 trials (400), an unknown experiment or trial (404).
    /// </exception>
    public async Task<TaskDto> CreateTensorboardAsync(IReadOnlyList<int>? experimentIds, IReadOnlyList<int>? trialIds = null, string? configYaml = null,
        IReadOnlyList<string>? overrides = null, CancellationToken cancellationToken = default)
    {
        var response = await _api.PostAsync("api/v1/tensorboards", new CreateTensorboardRequest(experimentIds ?? [], trialIds ?? [], configYaml, overrides),
            ApiJsonContext.Default.CreateTensorboardRequest, ApiJsonContext.Default.TensorboardResponse, cancellationToken).ConfigureAwait(false);
        return response.Tensorboard;
    }

    /// <summary>The caller's TensorBoards (an admin's: everyone's), newest first.</summary>
    public async Task<IReadOnlyList<TaskDto>> ListTensorboardsAsync(CancellationToken cancellationToken = default) =>
        (await _api.GetAsync("api/v1/tensorboards", ApiJsonContext.Default.TensorboardsResponse, cancellationToken).ConfigureAwait(false)).Tensorboards;

    /// <summary>One TensorBoard; <see cref="TaskDto.Ready"/> says whether it answers, <see cref="TaskDto.TrialIds"/> what it shows.</summary>
    public async Task<TaskDto> GetTensorboardAsync(string id, CancellationToken cancellationToken = default) =>
        (await _api.GetAsync($"api/v1/tensorboards/{Uri.EscapeDataString(id)}", ApiJsonContext.Default.TensorboardResponse, cancellationToken)
            .ConfigureAwait(false)).Tensorboard;

    /// <summary>Kills a TensorBoard.</summary>
    public async Task<TaskDto> KillTensorboardAsync(string id, CancellationToken cancellationToken = default)
    {
        await _api.SendAsync(HttpMethod.Post, $"api/v1/tensorboards/{Uri.EscapeDataString(id)}/kill", cancellationToken).ConfigureAwait(false);
        return await GetTensorboardAsync(id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Any task that is not a trial (command, notebook, TensorBoard) by id.</summary>
    public async Task<TaskDto> GetTaskAsync(string id, CancellationToken cancellationToken = default) =>
        (await _api.GetAsync($"api/v1/tasks/{Uri.EscapeDataString(id)}", ApiJsonContext.Default.TaskResponse, cancellationToken).ConfigureAwait(false)).Task;
}

using System.Text;
using Determinant.Protocol.Api;

namespace Determinant.Client;

public sealed partial class DeterminantClient
{
    private const int PageSize = 200;

    /// <summary>Experiments matching the filters, in the master's order (by id unless sorted otherwise).</summary>
    /// <param name="options">Filters and paging; null for every experiment.</param>
    /// <param name="cancellationToken">Cancels the requests.</param>
    /// <returns>The experiments, without their configs.</returns>
    /// <exception cref="DeterminantApiException">A request failed.</exception>
    public async Task<IReadOnlyList<Experiment>> ListExperimentsAsync(ExperimentListOptions? options, CancellationToken cancellationToken)
    {
        options ??= new ExperimentListOptions();
        var all = new List<Experiment>();
        var offset = Math.Max(0, options.Offset);
        while (true)
        {
            var want = options.Limit is { } limit ? Math.Min(PageSize, limit - all.Count) : PageSize;
            if (want <= 0)
                return all;
            var page = await _api.GetAsync(ListPath(options, offset, want), ApiJsonContext.Default.ExperimentsResponse, cancellationToken)
                .ConfigureAwait(false);
            all.AddRange(page.Experiments.Select(e => new Experiment(this, e, null)));
            offset += page.Experiments.Count;
            if (page.Experiments.Count == 0 || offset >= page.Pagination.Total)
                return all;
        }
    }

    /// <summary>One experiment with its config.</summary>
    /// <param name="id">The experiment id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The experiment.</returns>
    /// <exception cref="DeterminantApiException">404 when there is no such experiment.</exception>
    public async Task<Experiment> GetExperimentAsync(int id, CancellationToken cancellationToken = default)
    {
        var response = await _api.GetAsync($"api/v1/experiments/{Id(id)}", ApiJsonContext.Default.ExperimentResponse, cancellationToken)
            .ConfigureAwait(false);
        return new Experiment(this, response.Experiment, response.Config);
    }

    /// <summary>Creates an experiment from a YAML config and a model definition.</summary>
    /// <param name="configYaml">The experiment config as YAML text.</param>
    /// <param name="modelDefinition">The model definition's files, e.g. from <see cref="ModelDefinitionPackage.ReadFiles"/>; may be empty.</param>
    /// <param name="activate">Start it at once; false leaves it PAUSED.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The new experiment, the config as the master resolved it, and the config warnings.</returns>
    /// <exception cref="DeterminantApiException">
    /// 400 with one <see cref="ApiProblem.Errors"/> line per problem for an invalid config or model definition.
    /// </exception>
    public Task<CreatedExperiment> CreateExperimentAsync(
        string configYaml, IReadOnlyList<ModelDefinitionFile> modelDefinition, bool activate, CancellationToken cancellationToken) =>
        CreateExperimentAsync(configYaml, modelDefinition, activate, uploadProgress: null, cancellationToken);

    /// <summary>Creates an experiment as <see cref="CreateExperimentAsync(string, IReadOnlyList{ModelDefinitionFile}, bool, CancellationToken)"/> does, in a project.</summary>
    /// <param name="configYaml">The experiment config as YAML text.</param>
    /// <param name="modelDefinition">The model definition's files; may be empty.</param>
    /// <param name="activate">Start it at once (false: created paused).</param>
    /// <param name="projectId">The project to put it in (see <see cref="FindProjectAsync"/>); null for the default project <c>Uncategorized</c>.</param>
    /// <param name="uploadProgress">Told the fraction (0 to 1) of the request sent; null for none.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The new experiment, the config as the master resolved it, and the config warnings.</returns>
    /// <exception cref="DeterminantApiException">
    /// 400 for an invalid config or model definition; 404 when there is no such project; 403 when the caller may not submit into it.
    /// </exception>
    public async Task<CreatedExperiment> CreateExperimentAsync(
        string configYaml, IReadOnlyList<ModelDefinitionFile> modelDefinition, bool activate, int? projectId, IProgress<double>? uploadProgress,
        CancellationToken cancellationToken)
    {
        var request = new CreateExperimentRequest(configYaml, modelDefinition, activate, ProjectId: projectId);
        var response = await _api.PostAsync("api/v1/experiments", request, ApiJsonContext.Default.CreateExperimentRequest,
            ApiJsonContext.Default.CreateExperimentResponse, cancellationToken, uploadProgress).ConfigureAwait(false);
        var experiment = response.Experiment ?? throw new DeterminantApiException("the master created no experiment");
        return new CreatedExperiment(new Experiment(this, experiment, response.Config), response.Warnings);
    }

    /// <summary>Creates an experiment as <see cref="CreateExperimentAsync(string, IReadOnlyList{ModelDefinitionFile}, bool, CancellationToken)"/> does, reporting the upload.</summary>
    /// <param name="configYaml">The experiment config as YAML text.</param>
    /// <param name="modelDefinition">The model definition's files; may be empty.</param>
    /// <param name="activate">Start it at once (false: created paused).</param>
    /// <param name="uploadProgress">Told the fraction (0 to 1) of the request sent, after every 64 KiB; null for none.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The new experiment, the config as the master resolved it, and the config warnings.</returns>
    /// <exception cref="DeterminantApiException">400 with one <see cref="ApiProblem.Errors"/> line per problem for an invalid config or model definition.</exception>
    public Task<CreatedExperiment> CreateExperimentAsync(
        string configYaml, IReadOnlyList<ModelDefinitionFile> modelDefinition, bool activate, IProgress<double>? uploadProgress,
        CancellationToken cancellationToken) =>
        CreateExperimentAsync(configYaml, modelDefinition, activate, projectId: null, uploadProgress, cancellationToken);

    /// <summary>Checks a config and model definition as <see cref="CreateExperimentAsync(string, IReadOnlyList{ModelDefinitionFile}, bool, CancellationToken)"/> would, without creating anything.</summary>
    /// <param name="configYaml">The experiment config as YAML text.</param>
    /// <param name="modelDefinition">The model definition's files; may be empty.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The config as the master resolved it (every default filled in, as JSON) and the config warnings.</returns>
    /// <exception cref="DeterminantApiException">400 with one <see cref="ApiProblem.Errors"/> line per problem.</exception>
    public async Task<(System.Text.Json.Nodes.JsonObject Config, IReadOnlyList<string> Warnings)> ValidateExperimentAsync(
        string configYaml, IReadOnlyList<ModelDefinitionFile> modelDefinition, CancellationToken cancellationToken = default)
    {
        var request = new CreateExperimentRequest(configYaml, modelDefinition, Activate: false, ValidateOnly: true);
        var response = await _api.PostAsync("api/v1/experiments", request, ApiJsonContext.Default.CreateExperimentRequest,
            ApiJsonContext.Default.CreateExperimentResponse, cancellationToken).ConfigureAwait(false);
        return (response.Config, response.Warnings);
    }

    /// <summary>One trial.</summary>
    /// <param name="id">The trial id.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The trial.</returns>
    /// <exception cref="DeterminantApiException">404 when there is no such trial.</exception>
    public async Task<Trial> GetTrialAsync(int id, CancellationToken cancellationToken = default)
    {
        var response = await _api.GetAsync($"api/v1/trials/{Id(id)}", ApiJsonContext.Default.TrialResponse, cancellationToken).ConfigureAwait(false);
        return new Trial(this, response.Trial);
    }

    private static string ListPath(ExperimentListOptions options, int offset, int limit)
    {
        var query = new StringBuilder($"api/v1/experiments?offset={Id(offset)}&limit={Id(limit)}");
        if (options.Archived is { } archived)
            query.Append("&archived=").Append(archived ? "true" : "false");
        foreach (var user in options.Users)
            query.Append("&users=").Append(Uri.EscapeDataString(user));
        foreach (var state in options.States)
            query.Append("&states=").Append(StateNames.Wire(state));
        if (options.ProjectId is { } projectId)
            query.Append("&projectId=").Append(Id(projectId));
        if (options.SortBy is { } sortBy)
            query.Append("&sortBy=").Append(Uri.EscapeDataString(sortBy)).Append("&orderBy=").Append(options.Descending ? "desc" : "asc");
        return query.ToString();
    }
}

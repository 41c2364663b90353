using Determinant.Master.Configuration;
using System.Security.Claims;
using System.Text.Json;
using Determinant.Config;
using Determinant.Master.Auth;
using Determinant.Master.Controller;
using Determinant.Master.Data.Entities;
using Determinant.Master.Errors;
using Determinant.Master.Projects;
using Determinant.Master.ResourceManagers;
using Determinant.Protocol.Api;
using Determinant.Searchers;
using Microsoft.Extensions.Options;

namespace Determinant.Master.Experiments;

/// <summary>
/// <c>POST /api/v1/experiments</c>: checks the model definition and the config, then creates the experiment PAUSED and
/// activates it, in one transaction, so that nothing is left behind by any error.
/// </summary>
internal sealed class ExperimentCreation(
    ExperimentController controller, ProjectStore projects, TrialClassCompiler compiler, IResourceManager resources, IOptions<MasterOptions> options, TimeProvider time)
{
    public async Task<CreateExperimentResponse> CreateAsync(CreateExperimentRequest request, ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        // Users may not ship what the master generates.
        var files = (request.ModelDefinition ?? []).Where(f => !IsGenerated(f.Path)).ToList();
        var model = ModelDefinitionArchive.Pack(files, options.Value.ModelDefinitionLimitMib);
        // On a cluster of fixed agents, a trial larger than its pool (an is_single_node one: than the largest agent) could never run (no agent yet: no limit).
        var capacity = resources.Capacity();
        var loadOptions = new ConfigLoadOptions
        {
            MasterDefaults = MasterDefaults(), Time = time, MaxSlotsPerAgent = capacity.MaxSlotsPerNode, PoolSlotCapacity = capacity.MaxSlotsPerPool,
            MaxTrials = options.Value.MaxTrialsPerExperiment, MaxTrialsSetting = "the master's max_trials_per_experiment",
        };
        var loaded = ExperimentConfigLoader.Load(request.Config ?? "", loadOptions);
        if (!loaded.IsValid)
            throw new InvalidConfigException(loaded.Errors.Select(e => e.ToString()).ToList());
        var config = loaded.Config!;
        CheckSearcher(config);
        if (config.Entrypoint is { IsTrialClass: true, Command: { } entrypoint })
            model = ModelDefinitionArchive.Pack([.. files, .. await compiler.CompileAsync(files, entrypoint, cancellationToken).ConfigureAwait(false)],
                options.Value.ModelDefinitionLimitMib + 64);
        var configJson = ExperimentConfigJson.Serialize(config);
        if (request.ValidateOnly)
            return new CreateExperimentResponse(null, ExperimentMapper.ConfigObject(configJson), loaded.Warnings);

        var project = await projects.RequireSubmitAsync(request.ProjectId ?? ProjectEntity.UncategorizedId, principal, cancellationToken)
            .ConfigureAwait(false);
        var experiment = new ExperimentEntity
        {
            Name = config.Name,
            OwnerId = principal.GetUserId(),
            ProjectId = project.Id,
            ParentId = request.ParentId,
            ConfigYaml = request.Config!,
            ConfigJson = configJson,
            State = ExperimentState.Paused,
            StartTime = time.GetUtcNow().UtcDateTime,
            ModelDefinition = model,
        };
        var id = await controller.CreateAsync(experiment, request.Activate, cancellationToken).ConfigureAwait(false);
        var dto = ExperimentMapper.ToDto(experiment, config, principal.Identity?.Name ?? "", experiment.Trials.Count,
            new ProjectNames(project.Name, project.WorkspaceId, project.Workspace!.Name));
        return new CreateExperimentResponse(dto with { Id = id }, ExperimentMapper.ConfigObject(configJson), loaded.Warnings);
    }

    private static bool IsGenerated(string? path)
    {
        var normalized = (path ?? "").Replace('\\', '/').TrimEnd('/');
        while (normalized.StartsWith("./", StringComparison.Ordinal))
            normalized = normalized[2..];
        return normalized == ".determinant" || normalized.StartsWith(".determinant/", StringComparison.Ordinal);
    }

    /// <summary>The master's defaults: <c>shared_fs</c> checkpoints under the data directory unless the config says otherwise.</summary>
    private string MasterDefaults() =>
        "{\"checkpoint_storage\": {\"type\": \"shared_fs\", \"host_path\": " + JsonSerializer.Serialize(options.Value.DefaultCheckpointDir)
        + ", \"save_experiment_best\": 0, \"save_trial_best\": 1, \"save_trial_latest\": 1}}";

    /// <summary>Some searcher limits are only found by building the searcher; they are config errors too.</summary>
    private static void CheckSearcher(ExperimentConfig config)
    {
        try
        {
            Searcher.Create(config.Searcher, config.Hyperparameters, config.Reproducibility.ExperimentSeed);
        }
        catch (ArgumentException e)
        {
            throw new InvalidConfigException([$"<config>.searcher: {e.Message}"]);
        }
    }
}

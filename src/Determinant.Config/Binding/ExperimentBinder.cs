using System.Collections.Frozen;
using System.Text.Json.Nodes;
using Determinant.Config.Checks;

namespace Determinant.Config.Binding;

/// <summary>
/// Turns a merged config tree into an <see cref="ExperimentConfig"/>: type, range and unknown-key checks, defaults,
/// completeness and the cross-section rules, all in one pass so that every error is reported together.
/// </summary>
internal static class ExperimentBinder
{
    private static readonly FrozenSet<string> Keys = FrozenSet.Create(StringComparer.Ordinal,
        "name", "description", "labels", "data", "workspace", "project", "entrypoint", "hyperparameters", "searcher",
        "resources", "bind_mounts", "environment", "checkpoint_storage", "checkpoint_policy", "max_restarts",
        "min_validation_period", "min_checkpoint_period", "perform_initial_validation", "scheduling_unit",
        "records_per_epoch", "reproducibility", "preemption_timeout", "log_policies", "profiling",
        "optimizations", "tensorboard_storage", "data_layer", "internal", "debug");

    private static readonly (string, CheckpointPolicy)[] Policies =
        [("best", CheckpointPolicy.Best), ("all", CheckpointPolicy.All), ("none", CheckpointPolicy.None)];

    /// <summary>Binds <paramref name="root"/>; null when any error was reported.</summary>
    public static ExperimentConfig? Bind(JsonObject root, BindContext context)
    {
        var diagnostics = context.Diagnostics;
        var s = new Section(root, context.Root, diagnostics);
        s.RejectUnknown(Keys);

        var name = Name(s, context);
        var workspace = s.String("workspace") ?? "";
        var project = s.String("project") ?? "";
        var entrypoint = EntrypointBinder.Bind(s);
        if (entrypoint is null && !s.Has("entrypoint") && context.RequireEntrypointAndStorage)
            diagnostics.Error(context.Root, "entrypoint is required");
        var hyperparameters = HyperparameterBinder.BindMap(s.Get("hyperparameters"), s.PathOf("hyperparameters"), diagnostics);
        if (!s.Has("searcher"))
            diagnostics.Error(context.Root, "searcher is required");
        var searcher = SearcherBinder.Bind(s.Object("searcher"), context);
        var resources = ResourcesBinder.Bind(s.Object("resources"));
        var storage = StorageBinder.Bind(s.Object("checkpoint_storage"));
        if (!s.Has("checkpoint_storage") && context.RequireEntrypointAndStorage)
            diagnostics.Error(context.Root, "checkpoint_storage is required (neither the config nor the master's defaults give one)");
        var recordsPerEpoch = (ulong)(s.Integer("records_per_epoch", min: 0) ?? 0);
        var minValidation = LengthBinder.Bind(s, "min_validation_period", context, searcherLength: false) ?? Length.Batches(0);
        var minCheckpoint = LengthBinder.Bind(s, "min_checkpoint_period", context, searcherLength: false) ?? Length.Batches(0);
        var seed = RuntimeSectionsBinder.ExperimentSeed(s.Object("reproducibility"), context);

        // Built even when parts failed, so that the checks below still see everything that did bind; it is only
        // returned when nothing failed, which is why the placeholders for missing required parts never escape.
        var config = new ExperimentConfig
        {
            Name = name ?? "",
            Description = s.String("description"),
            Labels = s.Strings("labels") ?? [],
            Data = s.RawObject("data") ?? [],
            Workspace = workspace,
            Project = project,
            Entrypoint = entrypoint,
            Hyperparameters = hyperparameters,
            Searcher = searcher!,
            Resources = resources,
            BindMounts = BindMountBinder.Bind(s.Array("bind_mounts"), s.PathOf("bind_mounts"), diagnostics),
            Environment = EnvironmentBinder.Bind(s.Object("environment")),
            CheckpointStorage = storage,
            CheckpointPolicy = s.Choice("checkpoint_policy", Policies) ?? CheckpointPolicy.Best,
            MaxRestarts = s.Int("max_restarts", min: 0) ?? 5,
            MinValidationPeriod = minValidation,
            MinCheckpointPeriod = minCheckpoint,
            PerformInitialValidation = s.Bool("perform_initial_validation") ?? false,
            SchedulingUnit = s.Int("scheduling_unit", min: 1) ?? 100,
            RecordsPerEpoch = recordsPerEpoch,
            Reproducibility = new ReproducibilityConfig(seed ?? 0),
            PreemptionTimeout = s.Int("preemption_timeout", min: 0) ?? 3600,
            LogPolicies = RuntimeSectionsBinder.LogPolicies(s.Array("log_policies"), s.PathOf("log_policies"), diagnostics),
            Profiling = RuntimeSectionsBinder.Profiling(s.Object("profiling")),
            Optimizations = s.RawObject("optimizations"),
            TensorboardStorage = s.RawObject("tensorboard_storage"),
            DataLayer = s.RawObject("data_layer"),
            Internal = s.RawObject("internal"),
            Debug = s.Bool("debug") ?? false,
        };

        SemanticChecks.WorkspaceAndProject(workspace, project, context);
        GridChecks.Run(hyperparameters, declared: (s.Get("hyperparameters") as JsonObject)?.Count ?? 0, context);
        TrialLimitChecks.Run(searcher, hyperparameters, s.PathOf("searcher"), context);
        SemanticChecks.Lengths(hyperparameters, recordsPerEpoch, entrypoint, context);
        SemanticChecks.Slots(resources, context);
        SemanticChecks.Optimizations(config.Optimizations, context);
        return diagnostics.HasErrors || searcher is null || name is null || seed is null ? null : config;
    }

    private static string? Name(Section s, BindContext context)
    {
        var name = s.String("name");
        if (name is not null && name.Trim().Length == 0)
        {
            context.Diagnostics.Error(s.PathOf("name"), "must not be empty");
            return null;
        }
        if (name is not null || s.Has("name"))
            return name;
        if (context.DefaultName is { } generate)
            return generate();
        s.Missing("name");
        return null;
    }
}

using System.Collections.Immutable;
using System.Text.Json.Nodes;

namespace Determinant.Config;

/// <summary>
/// A classic experiment config after validation, merging with the master's defaults, and defaulting (REFERENCE.md §2.2).
/// It is what a trial receives, as JSON, in <c>DET_EXPERIMENT_CONFIG</c>.
/// </summary>
/// <remarks>Build one with <see cref="ExperimentConfigLoader"/>; initial values here are the documented defaults.</remarks>
public sealed record ExperimentConfig
{
    /// <summary>The experiment's name; a generated <c>Experiment (adverb-adjective-noun)</c> when not given.</summary>
    public required string Name { get; init; }

    /// <summary>Free text, or null.</summary>
    public string? Description { get; init; }

    /// <summary>Labels shown in the UI and used for filtering.</summary>
    public ImmutableArray<string> Labels { get; init; } = [];

    /// <summary>Free-form data passed to the trial as it is.</summary>
    public JsonObject Data { get; init; } = [];

    /// <summary>Workspace name; empty together with <see cref="Project"/> for the default project.</summary>
    public string Workspace { get; init; } = "";

    /// <summary>Project name; empty together with <see cref="Workspace"/> for the default project.</summary>
    public string Project { get; init; } = "";

    /// <summary>What each trial runs; null only in a config loaded for preview.</summary>
    public Entrypoint? Entrypoint { get; init; }

    /// <summary>The hyperparameters, keyed by name (ordinal order).</summary>
    public ImmutableSortedDictionary<string, Hyperparameter> Hyperparameters { get; init; } =
        ImmutableSortedDictionary.Create<string, Hyperparameter>(StringComparer.Ordinal);

    /// <summary>The search method.</summary>
    public required SearcherConfig Searcher { get; init; }

    /// <summary>What each trial needs.</summary>
    public ResourcesConfig Resources { get; init; } = new();

    /// <summary>Host directories mounted into tasks.</summary>
    public ImmutableArray<BindMount> BindMounts { get; init; } = [];

    /// <summary>Image and variables of the tasks.</summary>
    public EnvironmentConfig Environment { get; init; } = new();

    /// <summary>Where checkpoints go; null only in a config loaded for preview without master defaults.</summary>
    public CheckpointStorageConfig? CheckpointStorage { get; init; }

    /// <summary>When the trial-class harness checkpoints after a validation.</summary>
    public CheckpointPolicy CheckpointPolicy { get; init; } = CheckpointPolicy.Best;

    /// <summary>How many times each trial is restarted after a failure.</summary>
    public int MaxRestarts { get; init; } = 5;

    /// <summary>Validate at least this often (trial-class path); zero for never.</summary>
    public Length MinValidationPeriod { get; init; } = Length.Batches(0);

    /// <summary>Checkpoint at least this often (trial-class path); zero for never.</summary>
    public Length MinCheckpointPeriod { get; init; } = Length.Batches(0);

    /// <summary>Validate at step 0, before training.</summary>
    public bool PerformInitialValidation { get; init; }

    /// <summary>Batches per training step; also the cadence of metric reports and preemption checks.</summary>
    public int SchedulingUnit { get; init; } = 100;

    /// <summary>Records in one epoch, needed to turn epochs into batches; 0 when unknown.</summary>
    public ulong RecordsPerEpoch { get; init; }

    /// <summary>Seeds for the search.</summary>
    public required ReproducibilityConfig Reproducibility { get; init; }

    /// <summary>Seconds between the stop signal and a hard kill.</summary>
    public int PreemptionTimeout { get; init; } = 3600;

    /// <summary>Rules applied to trial log lines.</summary>
    public ImmutableArray<LogPolicy> LogPolicies { get; init; } = [];

    /// <summary>Profiler settings.</summary>
    public ProfilingConfig Profiling { get; init; } = new();

    /// <summary>Accepted for compatibility and ignored; kept as given.</summary>
    public JsonObject? Optimizations { get; init; }

    /// <summary>Accepted for compatibility and ignored; kept as given.</summary>
    public JsonObject? TensorboardStorage { get; init; }

    /// <summary>Accepted for compatibility and ignored; kept as given.</summary>
    public JsonObject? DataLayer { get; init; }

    /// <summary>Accepted for compatibility and ignored; kept as given.</summary>
    public JsonObject? Internal { get; init; }

    /// <summary>Verbose logs for the experiment's tasks.</summary>
    public bool Debug { get; init; }

    /// <summary>Compares by content, including the JSON sections.</summary>
    public bool Equals(ExperimentConfig? other) =>
        other is not null
        && Name == other.Name && Description == other.Description && ValueEquality.Sequence(Labels, other.Labels)
        && ValueEquality.Json(Data, other.Data) && Workspace == other.Workspace && Project == other.Project
        && Equals(Entrypoint, other.Entrypoint) && ValueEquality.Map(Hyperparameters, other.Hyperparameters)
        && Searcher.Equals(other.Searcher) && Resources.Equals(other.Resources) && ValueEquality.Sequence(BindMounts, other.BindMounts)
        && Environment.Equals(other.Environment) && Equals(CheckpointStorage, other.CheckpointStorage)
        && CheckpointPolicy == other.CheckpointPolicy && MaxRestarts == other.MaxRestarts
        && MinValidationPeriod == other.MinValidationPeriod && MinCheckpointPeriod == other.MinCheckpointPeriod
        && PerformInitialValidation == other.PerformInitialValidation && SchedulingUnit == other.SchedulingUnit
        && RecordsPerEpoch == other.RecordsPerEpoch && Reproducibility.Equals(other.Reproducibility)
        && PreemptionTimeout == other.PreemptionTimeout && ValueEquality.Sequence(LogPolicies, other.LogPolicies)
        && Profiling.Equals(other.Profiling) && ValueEquality.Json(Optimizations, other.Optimizations)
        && ValueEquality.Json(TensorboardStorage, other.TensorboardStorage) && ValueEquality.Json(DataLayer, other.DataLayer)
        && ValueEquality.Json(Internal, other.Internal) && Debug == other.Debug;

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Name, Searcher, Reproducibility, Hyperparameters.Count, Entrypoint);
}

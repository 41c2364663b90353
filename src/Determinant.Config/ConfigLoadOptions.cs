using System.Collections.Immutable;

namespace Determinant.Config;

/// <summary>What <see cref="ExperimentConfigLoader"/> needs besides the YAML: defaults from the master, time, randomness and cluster facts.</summary>
public sealed record ConfigLoadOptions
{
    /// <summary>The master's packaged defaults: checkpoints on <c>shared_fs</c> under <c>/tmp/determined-checkpoint</c>, GC 0/1/1.</summary>
    public const string PackagedMasterDefaults = """
        {"checkpoint_storage": {"type": "shared_fs", "host_path": "/tmp", "storage_path": "determined-checkpoint",
         "save_experiment_best": 0, "save_trial_best": 1, "save_trial_latest": 1}}
        """;

    /// <summary>Options with every default.</summary>
    public static ConfigLoadOptions Default { get; } = new();

    /// <summary>The label error paths start with.</summary>
    public string SourceName { get; init; } = "<config>";

    /// <summary>
    /// The master's (or pool's) task defaults as a YAML or JSON object, merged under the user's config; null for none.
    /// The default supplies only <c>checkpoint_storage</c>; a master replaces it with its own.
    /// </summary>
    public string? MasterDefaults { get; init; } = PackagedMasterDefaults;

    /// <summary>A named template (YAML or JSON object) merged under the user's config and above the master's defaults.</summary>
    public string? Template { get; init; }

    /// <summary>The clock for the default <c>reproducibility.experiment_seed</c> (Unix seconds as uint32).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Randomness for the default experiment name; pass a seeded instance for repeatable names. Not thread-safe unless shared.</summary>
    public Random Random { get; init; } = Random.Shared;

    /// <summary>Slots of the largest agent in the target pool; null when unknown.</summary>
    /// <remarks>Limits single-node trials, and every trial when <see cref="PoolSlotCapacity"/> is unknown.</remarks>
    public int? MaxSlotsPerAgent { get; init; }

    /// <summary>Total slots of the target pool; null when unknown.</summary>
    public int? PoolSlotCapacity { get; init; }

    /// <summary>The target pool autoscales: a trial larger than today's agents gets a warning instead of an error.</summary>
    public bool PoolAutoscales { get; init; }

    /// <summary>
    /// The most trials an experiment may ask for: <c>max_trials</c>, <c>population_size</c> and the number of grid points
    /// (computed from the axes, never enumerated). Defaults to <see cref="ConfigLimits.DefaultMaxTrials"/>.
    /// </summary>
    public int MaxTrials { get; init; } = ConfigLimits.DefaultMaxTrials;

    /// <summary>What sets <see cref="MaxTrials"/>, named in the error that it causes: a master gives its own option's key.</summary>
    public string MaxTrialsSetting { get; init; } = "ConfigLimits.DefaultMaxTrials";

    /// <summary>The pools that exist; default (not empty) when unknown, which skips the <c>resource_pool</c> check.</summary>
    public ImmutableArray<string> ResourcePools { get; init; }
}

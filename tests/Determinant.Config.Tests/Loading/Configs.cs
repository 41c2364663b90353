namespace Determinant.Config.Tests.Loading;

/// <summary>Loading helpers with a fixed clock and seeded randomness, and the valid fixtures of REFERENCE.md §2.11.</summary>
internal static class Configs
{
    public static readonly DateTimeOffset Now = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    public static ConfigLoadOptions Options(int seed = 7) => new() { Time = new FixedTime(Now), Random = new Random(seed) };

    public static ConfigLoadResult Load(string yaml) => ExperimentConfigLoader.Load(yaml, Options());

    public static ExperimentConfig LoadValid(string yaml)
    {
        var result = Load(yaml);
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        return result.Config!;
    }

    /// <summary>The lines users would see, for assertions on path and key words.</summary>
    public static IReadOnlyList<string> ErrorLines(string yaml, ConfigLoadOptions? options = null)
    {
        var result = ExperimentConfigLoader.Load(yaml, options ?? Options());
        Assert.False(result.IsValid);
        Assert.Null(result.Config);
        return [.. result.Errors.Select(e => e.ToString())];
    }

    public const string V1 = """
        name: mnist-const
        entrypoint: model_def:MNistTrial
        hyperparameters: {global_batch_size: 64, lr: 0.01}
        searcher: {name: single, metric: validation_loss, max_length: {batches: 937}}
        checkpoint_storage: {type: shared_fs, host_path: /mnt/ckpt, storage_path: det}
        """;

    public const string V2 = "{entrypoint: python3 train.py --fast, searcher: {name: single, metric: loss, max_length: 10}}";

    public const string V3 = """
        entrypoint: model_def:T
        hyperparameters:
          global_batch_size: 32
          lr: {type: log, minval: -5, maxval: -1, base: 10}
          dropout: {type: double, minval: 0.1, maxval: 0.5}
        searcher: {name: random, metric: acc, smaller_is_better: false, max_trials: 20, max_concurrent_trials: 4, max_length: {records: 64000}}
        """;

    public const string V4 = """
        entrypoint: model_def:T
        hyperparameters:
          global_batch_size: 64
          optimizer: {name: {type: categorical, vals: [sgd, adam]}, lr: {type: double, minval: 0.2, maxval: 0.8, count: 3}}
          layers: {type: int, minval: 1, maxval: 4, count: 2}
        searcher: {name: grid, metric: loss, max_length: {batches: 500}}
        """;

    public const string V5 = """
        entrypoint: model_def:T
        records_per_epoch: 60000
        hyperparameters: {global_batch_size: 64, n_filters: {type: int, minval: 8, maxval: 64}}
        searcher: {name: adaptive_asha, metric: val_loss, max_trials: 16, max_length: {epochs: 8}}
        """;

    public const string V6 = """
        entrypoint: python3 train.py
        searcher: {name: adaptive_asha, metric: loss, max_trials: 64, max_length: 1000, mode: aggressive, stop_once: true, max_concurrent_trials: 0}
        """;

    public const string V7 = """
        entrypoint: model_def:T
        hyperparameters: {global_batch_size: 16, lr: {type: double, minval: 0.001, maxval: 0.1}}
        searcher: {name: async_halving, metric: loss, num_rungs: 3, divisor: 3, max_trials: 12, max_length: {batches: 9000}}
        """;

    public const string V8 = """
        entrypoint: model_def:T
        hyperparameters: {global_batch_size: 32, lr: {type: log, minval: -4, maxval: -1, base: 10}}
        searcher: {name: pbt, metric: loss, population_size: 10, num_rounds: 5, length_per_round: {batches: 1000},
                   replace_function: {truncate_fraction: 0.2}, explore_function: {resample_probability: 0.2, perturb_factor: 0.2}}
        """;

    public const string V9 = """
        entrypoint: model_def:T
        searcher: {name: single, metric: loss, max_length: {batches: 100}}
        resources: {slots_per_trial: 2, max_slots: 4, priority: 10, weight: 2, resource_pool: gpu-pool}
        bind_mounts: [{host_path: /data, container_path: /data, read_only: true}]
        environment: {environment_variables: [NCCL_DEBUG=INFO], image: {cpu: img-cpu, cuda: img-cuda, rocm: img-rocm}}
        """;

    public const string V10 = """
        entrypoint: model_def:T
        checkpoint_policy: all
        min_checkpoint_period: {batches: 200}
        min_validation_period: {batches: 100}
        checkpoint_storage: {type: shared_fs, host_path: /mnt/ckpt, save_experiment_best: 2, save_trial_best: 0, save_trial_latest: 1}
        searcher: {name: single, metric: loss, max_length: {batches: 1000}}
        """;

    public const string V11 = "{entrypoint: model_def:T, max_restarts: null, resources: null, description: null, searcher: {name: single, metric: loss, max_length: {batches: 10}}}";

    public const string V12 = """
        entrypoint: model_def:T
        hyperparameters: {global_batch_size: 8, layer_sizes: [64, 32], pretrained: null}
        searcher: {name: single, metric: accuracy, smaller_is_better: false, source_trial_id: 15, max_length: {batches: 50}}
        """;

    public static TheoryData<string, string> ValidFixtures => new()
    {
        { "V1", V1 }, { "V2", V2 }, { "V3", V3 }, { "V4", V4 }, { "V5", V5 }, { "V6", V6 },
        { "V7", V7 }, { "V8", V8 }, { "V9", V9 }, { "V10", V10 }, { "V11", V11 }, { "V12", V12 },
    };

    /// <summary>A small valid config that invalid examples change one part of.</summary>
    public const string Base = """
        entrypoint: model_def:T
        hyperparameters: {global_batch_size: 32}
        searcher: {name: single, metric: loss, max_length: {batches: 100}}
        """;
}

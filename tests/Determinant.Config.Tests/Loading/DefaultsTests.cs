namespace Determinant.Config.Tests.Loading;

/// <summary>The defaults of REFERENCE.md §2.2, "null means not given", and the runtime defaults.</summary>
public sealed class DefaultsTests
{
    [Fact]
    public void Load_AppliesTheDefaultsTable_ForAMinimalConfig()
    {
        var config = Configs.LoadValid(Configs.V2);

        Assert.Null(config.Description);
        Assert.Empty(config.Labels);
        Assert.Empty(config.Data);
        Assert.Equal(("", ""), (config.Workspace, config.Project));
        Assert.Empty(config.Hyperparameters);
        Assert.Equal(new ResourcesConfig(), config.Resources);
        Assert.Equal((1, (int?)null, (int?)null, 1.0, ""), (config.Resources.SlotsPerTrial, config.Resources.MaxSlots, config.Resources.Priority, config.Resources.Weight, config.Resources.ResourcePool));
        Assert.Empty(config.BindMounts);
        Assert.Equal(new EnvironmentConfig(), config.Environment);
        Assert.Equal(CheckpointPolicy.Best, config.CheckpointPolicy);
        Assert.Equal(5, config.MaxRestarts);
        Assert.Equal(Length.Batches(0), config.MinValidationPeriod);
        Assert.Equal(Length.Batches(0), config.MinCheckpointPeriod);
        Assert.False(config.PerformInitialValidation);
        Assert.Equal(100, config.SchedulingUnit);
        Assert.Equal(0UL, config.RecordsPerEpoch);
        Assert.Equal(3600, config.PreemptionTimeout);
        Assert.Empty(config.LogPolicies);
        Assert.Equal(new ProfilingConfig { Enabled = false, BeginOnBatch = 0, EndAfterBatch = null, SyncTimings = true }, config.Profiling);
        Assert.Null(config.Optimizations);
        Assert.False(config.Debug);
        Assert.True(config.Searcher.SmallerIsBetter);
        Assert.Null(config.Searcher.SourceTrialId);
    }

    [Fact]
    public void Load_SetsTheSearcherDefaults_ForRandomAndGrid()
    {
        var random = Assert.IsType<RandomSearcherConfig>(Configs.LoadValid("entrypoint: a:B\nsearcher: {name: random, metric: l, max_trials: 3, max_length: 5}").Searcher);
        var grid = Assert.IsType<GridSearcherConfig>(Configs.LoadValid("entrypoint: a:B\nhyperparameters: {x: 1}\nsearcher: {name: grid, metric: l, max_length: 5}").Searcher);
        var halving = Assert.IsType<AsyncHalvingSearcherConfig>(Configs.LoadValid("entrypoint: a:B\nsearcher: {name: async_halving, metric: l, num_rungs: 2, max_trials: 3, max_length: 5}").Searcher);

        Assert.Equal(16, random.MaxConcurrentTrials);
        Assert.Equal(16, grid.MaxConcurrentTrials);
        Assert.Equal((4.0, 16, false), (halving.Divisor, halving.MaxConcurrentTrials, halving.StopOnce));
    }

    [Fact]
    public void Load_NamesTheExperimentWithAPetname_WhenNoNameIsGiven()
    {
        var name = Configs.LoadValid(Configs.V2).Name;

        Assert.Matches(@"^Experiment \([a-z]+-[a-z]+-[a-z]+\)$", name);
    }

    [Fact]
    public void Load_GivesTheSameRuntimeDefaults_ForTheSameClockAndSeed()
    {
        var first = ExperimentConfigLoader.Load(Configs.V2, Configs.Options(seed: 42)).Config!;
        var second = ExperimentConfigLoader.Load(Configs.V2, Configs.Options(seed: 42)).Config!;

        Assert.Equal(first.Name, second.Name);
        Assert.Equal(first, second);
    }

    [Fact]
    public void Load_VariesThePetname_WithTheInjectedRandomness()
    {
        var names = Enumerable.Range(0, 20).Select(seed => ExperimentConfigLoader.Load(Configs.V2, Configs.Options(seed)).Config!.Name).ToHashSet();

        Assert.True(names.Count > 10, string.Join(", ", names));
    }

    [Fact]
    public void Load_SeedsTheExperimentFromTheInjectedClock_AsUnixSeconds()
    {
        var config = Configs.LoadValid(Configs.V2);

        Assert.Equal((uint)Configs.Now.ToUnixTimeSeconds(), config.Reproducibility.ExperimentSeed);
        Assert.Equal(1714564800u, config.Reproducibility.ExperimentSeed);
    }

    [Fact]
    public void Load_KeepsTheGivenSeed_WhenOneIsSet()
    {
        Assert.Equal(4_000_000_000u, Configs.LoadValid(Configs.Base + "\nreproducibility: {experiment_seed: 4000000000}").Reproducibility.ExperimentSeed);
    }

    [Fact]
    public void Load_RejectsASeed_OutsideUint32()
    {
        Expect.Line(Configs.ErrorLines(Configs.Base + "\nreproducibility: {experiment_seed: 4294967296}"), "<config>.reproducibility.experiment_seed", "<= 4294967295");
    }

    [Fact]
    public void Load_TreatsEveryNullAsNotGiven_ExceptHyperparameterValues()
    {
        var config = Configs.LoadValid("""
            name: null
            entrypoint: a:B
            labels: null
            hyperparameters: {global_batch_size: 4, nothing: null}
            searcher: {name: single, metric: l, max_length: {batches: 3}, smaller_is_better: null}
            checkpoint_storage: null
            scheduling_unit: null
            environment: {image: null, environment_variables: null}
            profiling: {sync_timings: null}
            reproducibility: null
            """);

        Assert.StartsWith("Experiment (", config.Name, StringComparison.Ordinal);
        Assert.Empty(config.Labels);
        Assert.True(config.Searcher.SmallerIsBetter);
        Assert.IsType<SharedFsStorageConfig>(config.CheckpointStorage);
        Assert.Equal(100, config.SchedulingUnit);
        Assert.Null(config.Environment.Image);
        Assert.True(config.Profiling.SyncTimings);
        Assert.Equal(1714564800u, config.Reproducibility.ExperimentSeed);
        Assert.Null(Assert.IsType<ConstHyperparameter>(config.Hyperparameters["nothing"]).Value);
    }

    [Fact]
    public void Load_TreatsANullHyperparametersMap_AsEmpty()
    {
        Assert.Empty(Configs.LoadValid(Configs.V2[..^1] + ", hyperparameters: null}").Hyperparameters);
    }

    [Fact]
    public void Load_ReadsYamlScalarsByTheCoreSchema()
    {
        var config = Configs.LoadValid(Configs.Base + "\ndata: {a: yes, b: 0x10, c: 0o17, d: '5', e: 1.5e3, f: ~, g: True}");

        Assert.Equal("yes", (string?)config.Data["a"]);
        Assert.Equal(16L, (long)config.Data["b"]!);
        Assert.Equal(15L, (long)config.Data["c"]!);
        Assert.Equal("5", (string?)config.Data["d"]);
        Assert.Equal(1500.0, (double)config.Data["e"]!);
        Assert.Null(config.Data["f"]);
        Assert.True((bool)config.Data["g"]!);
    }

    [Fact]
    public void Load_ExpandsAliases_IntoIndependentCopies()
    {
        var config = Configs.LoadValid(Configs.Base + "\ndata: {a: &shared {k: 1}, b: *shared}");

        Assert.Equal(1L, (long)config.Data["b"]!["k"]!);
    }
}

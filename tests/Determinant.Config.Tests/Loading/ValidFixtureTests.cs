using System.Text.Json.Nodes;

namespace Determinant.Config.Tests.Loading;

/// <summary>Every valid fixture of REFERENCE.md §2.11 loads, with the values that make it interesting.</summary>
public sealed class ValidFixtureTests
{
    [Theory]
    [MemberData(nameof(Configs.ValidFixtures), MemberType = typeof(Configs))]
    public void Load_SucceedsWithNoErrors_ForEveryValidFixture(string label, string yaml)
    {
        var result = Configs.Load(yaml);

        Assert.True(result.IsValid, $"{label}: {string.Join("\n", result.Errors)}");
        Assert.NotNull(result.Config!.CheckpointStorage);
    }

    [Fact]
    public void Load_ResolvesTheSingleSearcherInBatches_ForV1()
    {
        var config = Configs.LoadValid(Configs.V1);

        Assert.Equal("mnist-const", config.Name);
        Assert.True(config.Entrypoint!.IsTrialClass);
        var searcher = Assert.IsType<SingleSearcherConfig>(config.Searcher);
        Assert.Equal(Length.Batches(937), searcher.MaxLength);
        Assert.Equal("validation_loss", searcher.Metric);
        Assert.True(searcher.SmallerIsBetter);
        var storage = Assert.IsType<SharedFsStorageConfig>(config.CheckpointStorage);
        Assert.Equal("/mnt/ckpt/det", storage.BaseDirectory);
        Assert.Equal(64L, (long)Assert.IsType<ConstHyperparameter>(config.Hyperparameters["global_batch_size"]).Value!);
        Assert.Equal(0.01, (double)Assert.IsType<ConstHyperparameter>(config.Hyperparameters["lr"]).Value!);
    }

    [Fact]
    public void Load_KeepsAUnitlessLengthAndACommandEntrypoint_ForV2()
    {
        var result = Configs.Load(Configs.V2);

        var config = result.Config!;
        Assert.Equal("python3 train.py --fast", config.Entrypoint!.Command);
        Assert.False(config.Entrypoint.IsTrialClass);
        Assert.Equal(Length.Unitless(10), Assert.IsType<SingleSearcherConfig>(config.Searcher).MaxLength);
        Assert.Empty(config.Hyperparameters);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void Load_ReadsRandomSearchInRecords_ForV3()
    {
        var config = Configs.LoadValid(Configs.V3);

        var searcher = Assert.IsType<RandomSearcherConfig>(config.Searcher);
        Assert.Equal((20, 4, Length.Records(64000), false), (searcher.MaxTrials, searcher.MaxConcurrentTrials, searcher.MaxLength, searcher.SmallerIsBetter));
        Assert.Equal(new LogHyperparameter(-5, -1, 10), config.Hyperparameters["lr"]);
        Assert.Equal(new DoubleHyperparameter(0.1, 0.5), config.Hyperparameters["dropout"]);
    }

    [Fact]
    public void Load_BuildsNestedAndCategoricalHyperparameters_ForV4()
    {
        var config = Configs.LoadValid(Configs.V4);

        Assert.IsType<GridSearcherConfig>(config.Searcher);
        var optimizer = Assert.IsType<NestedHyperparameter>(config.Hyperparameters["optimizer"]);
        Assert.Equal(["lr", "name"], optimizer.Children.Keys);
        Assert.Equal(new DoubleHyperparameter(0.2, 0.8, 3), optimizer.Children["lr"]);
        var name = Assert.IsType<CategoricalHyperparameter>(optimizer.Children["name"]);
        Assert.Equal(["sgd", "adam"], name.Vals.Select(v => (string)v!));
        Assert.Equal(new IntHyperparameter(1, 4, 2), config.Hyperparameters["layers"]);
    }

    [Fact]
    public void Load_AppliesAdaptiveAshaDefaults_ForV5()
    {
        var config = Configs.LoadValid(Configs.V5);

        var searcher = Assert.IsType<AdaptiveAshaSearcherConfig>(config.Searcher);
        Assert.Equal(Length.Epochs(8), searcher.MaxLength);
        Assert.Equal(AdaptiveMode.Standard, searcher.Mode);
        Assert.Equal(4, searcher.Divisor);
        Assert.Equal(5, searcher.MaxRungs);
        Assert.Equal(16, searcher.MaxConcurrentTrials);
        Assert.False(searcher.StopOnce);
        Assert.False(searcher.BracketRungs.IsDefault);
        Assert.Empty(searcher.BracketRungs);
        Assert.Equal(60000UL, config.RecordsPerEpoch);
    }

    [Fact]
    public void Load_ReadsAggressiveStoppingAsha_ForV6()
    {
        var searcher = Assert.IsType<AdaptiveAshaSearcherConfig>(Configs.LoadValid(Configs.V6).Searcher);

        Assert.Equal((AdaptiveMode.Aggressive, true, 0, Length.Unitless(1000)), (searcher.Mode, searcher.StopOnce, searcher.MaxConcurrentTrials, searcher.MaxLength));
    }

    [Fact]
    public void Load_ReadsAsyncHalving_ForV7()
    {
        var searcher = Assert.IsType<AsyncHalvingSearcherConfig>(Configs.LoadValid(Configs.V7).Searcher);

        Assert.Equal(new AsyncHalvingSearcherConfig(3, 12, Length.Batches(9000), 3) { Metric = "loss" }, searcher);
    }

    [Fact]
    public void Load_ReadsEveryPbtField_ForV8()
    {
        var searcher = Assert.IsType<PbtSearcherConfig>(Configs.LoadValid(Configs.V8).Searcher);

        Assert.Equal(new PbtSearcherConfig(10, 5, Length.Batches(1000), 0.2, 0.2, 0.2) { Metric = "loss" }, searcher);
    }

    [Fact]
    public void Load_ReadsResourcesMountsAndEnvironment_ForV9()
    {
        var config = Configs.LoadValid(Configs.V9);

        Assert.Equal(new ResourcesConfig { SlotsPerTrial = 2, MaxSlots = 4, Priority = 10, Weight = 2, ResourcePool = "gpu-pool" }, config.Resources);
        Assert.Equal([new BindMount("/data", "/data", ReadOnly: true)], config.BindMounts.ToArray());
        Assert.Equal(new EnvironmentImage("img-cpu", "img-cuda", "img-rocm"), config.Environment.Image);
        Assert.Equal(["NCCL_DEBUG=INFO"], config.Environment.EnvironmentVariables.Cuda.ToArray());
        Assert.Equal(["NCCL_DEBUG=INFO"], config.Environment.EnvironmentVariables.Cpu.ToArray());
    }

    [Fact]
    public void Load_ReadsPolicyPeriodsAndGcCounts_ForV10()
    {
        var config = Configs.LoadValid(Configs.V10);

        Assert.Equal(CheckpointPolicy.All, config.CheckpointPolicy);
        Assert.Equal(Length.Batches(200), config.MinCheckpointPeriod);
        Assert.Equal(Length.Batches(100), config.MinValidationPeriod);
        var storage = Assert.IsType<SharedFsStorageConfig>(config.CheckpointStorage);
        Assert.Equal((2, 0, 1), (storage.SaveExperimentBest, storage.SaveTrialBest, storage.SaveTrialLatest));
        // Same type as the master's default storage, so its storage_path merges in (REFERENCE.md §2.1 step 3).
        Assert.Equal("/mnt/ckpt/determined-checkpoint", storage.BaseDirectory);
    }

    [Fact]
    public void Load_TreatsNullsAsAbsent_ForV11()
    {
        var config = Configs.LoadValid(Configs.V11);

        Assert.Equal(5, config.MaxRestarts);
        Assert.Equal(new ResourcesConfig(), config.Resources);
        Assert.Equal(1, config.Resources.SlotsPerTrial);
        Assert.Null(config.Description);
    }

    [Fact]
    public void Load_KeepsConstListAndNullHyperparameters_ForV12()
    {
        var config = Configs.LoadValid(Configs.V12);

        var sizes = Assert.IsType<ConstHyperparameter>(config.Hyperparameters["layer_sizes"]);
        Assert.True(JsonNode.DeepEquals(new JsonArray(64, 32), sizes.Value));
        Assert.Null(Assert.IsType<ConstHyperparameter>(config.Hyperparameters["pretrained"]).Value);
        Assert.Equal(15, config.Searcher.SourceTrialId);
        Assert.False(config.Searcher.SmallerIsBetter);
    }
}

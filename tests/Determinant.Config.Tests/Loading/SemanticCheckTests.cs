namespace Determinant.Config.Tests.Loading;

/// <summary>The cross-section rules of REFERENCE.md §2.10 and the value rules that Determined left to run time.</summary>
public sealed class SemanticCheckTests
{
    [Fact]
    public void Load_RequiresAGlobalBatchSize_WhenALengthIsInRecords()
    {
        var lines = Configs.ErrorLines("entrypoint: a:B\nsearcher: {name: single, metric: l, max_length: {records: 100}}");

        Expect.Line(lines, "<config>.hyperparameters", "global_batch_size", "records");
    }

    [Theory]
    [InlineData("{type: double, minval: 1, maxval: 4}")]
    [InlineData("{type: categorical, vals: [16, 32]}")]
    [InlineData("sixteen")]
    [InlineData("0")]
    public void Load_RejectsABatchSize_ThatIsNotAPositiveIntOrConst(string batchSize)
    {
        var lines = Configs.ErrorLines($"entrypoint: a:B\nhyperparameters: {{global_batch_size: {batchSize}}}\nrecords_per_epoch: 10\nsearcher: {{name: single, metric: l, max_length: {{epochs: 1}}}}");

        Expect.Line(lines, "<config>.hyperparameters", "global_batch_size");
    }

    [Fact]
    public void Load_AcceptsAnIntRangeBatchSize_ForLengthsInRecords()
    {
        Assert.NotNull(Configs.LoadValid("entrypoint: a:B\nhyperparameters: {global_batch_size: {type: int, minval: 8, maxval: 64}}\nsearcher: {name: single, metric: l, max_length: {records: 100}}"));
    }

    [Fact]
    public void Load_RequiresRecordsPerEpoch_ForAnEpochPeriod()
    {
        Expect.Line(Configs.ErrorLines(Configs.Base + "\nmin_validation_period: {epochs: 1}"), "<config>.records_per_epoch", "epochs");
    }

    [Fact]
    public void Load_WarnsAndSucceeds_WhenATrialClassHasAUnitlessLength()
    {
        var result = Configs.Load("entrypoint: model_def:T\nsearcher: {name: single, metric: l, max_length: 5}");

        Assert.True(result.IsValid);
        var warning = Assert.Single(result.Warnings);
        Assert.Equal("<config>.searcher.max_length: treating unitless length as epochs", warning);
    }

    [Fact]
    public void Load_DoesNotWarn_WhenAScriptHasAUnitlessLength()
    {
        Assert.Empty(Configs.Load(Configs.V6).Warnings);
    }

    [Fact]
    public void Load_RejectsGridSearch_WithNoHyperparameters()
    {
        var lines = Configs.ErrorLines("entrypoint: a:B\nhyperparameters: {}\nsearcher: {name: grid, metric: l, max_length: 5}");

        Expect.Line(lines, "<config>.hyperparameters", "grid search needs at least one hyperparameter");
    }

    [Fact]
    public void Load_AcceptsGridSearch_WhenTheOnlyHyperparameterIsAnEmptyNestedMap()
    {
        // An empty nested map is one grid point ({}), so the grid has one trial (REFERENCE.md §3.4).
        var result = Configs.Load("entrypoint: a:B\nhyperparameters: {empty: {}}\nsearcher: {name: grid, metric: l, max_length: 5}");

        Assert.True(result.IsValid, string.Join("\n", result.Errors));
    }

    [Fact]
    public void Load_DoesNotAlsoSayTheGridIsEmpty_WhenItsOnlyHyperparameterIsInvalid()
    {
        var lines = Configs.ErrorLines("entrypoint: a:B\nhyperparameters: {n: {type: float}}\nsearcher: {name: grid, metric: l, max_length: 5}");

        Assert.DoesNotContain(lines, l => l.Contains("at least one hyperparameter", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_AsksForACount_OnNestedAndListedRanges_UnderGridSearch()
    {
        var lines = Configs.ErrorLines("""
            entrypoint: a:B
            hyperparameters:
              dict_hp: {lr: {type: log, minval: -3, maxval: -1, base: 10}, ok: {type: int, minval: 1, maxval: 2, count: 2}}
              list_hp: [1, 2, {type: int, minval: 1, maxval: 3}]
            searcher: {name: grid, metric: l, max_length: 5}
            """);

        Expect.Line(lines, "<config>.hyperparameters.dict_hp.lr", "count", "grid");
        Expect.Line(lines, "<config>.hyperparameters.list_hp[2]", "count", "grid");
        Assert.Equal(2, lines.Count);
    }

    [Fact]
    public void Load_RejectsPlatformVariables_InTheEnvironment()
    {
        var lines = Configs.ErrorLines(Configs.Base + "\nenvironment: {environment_variables: {cpu: [OK=1], cuda: [OK=1, DET_MASTER=x]}}");

        Expect.Line(lines, "<config>.environment.environment_variables.cuda[1]", "DET_MASTER");
        Assert.Single(lines);
    }

    [Theory]
    [InlineData("1.5 gb", 1610612736L)]
    [InlineData("512MiB", 536870912L)]
    [InlineData("2k", 2048L)]
    [InlineData("100", 100L)]
    [InlineData("4096", 4096L)]
    public void Load_AcceptsShmSizes_ThatMatchTheSizePattern(string text, long bytes)
    {
        var config = Configs.LoadValid(Configs.Base + $"\nresources: {{shm_size: \"{text}\"}}");

        Assert.Equal(text, config.Resources.ShmSize);
        Assert.Equal(bytes, config.Resources.ShmSizeBytes);
    }

    [Theory]
    [InlineData("\"lots\"")]
    [InlineData("\"1.5 gigabytes\"")]
    [InlineData("-5")]
    [InlineData("[1]")]
    public void Load_RejectsShmSizes_ThatAreNotSizes(string text)
    {
        Expect.Line(Configs.ErrorLines(Configs.Base + $"\nresources: {{shm_size: {text}}}"), "<config>.resources.shm_size", "");
    }

    [Theory]
    [InlineData("268435456", 268435456L)]
    [InlineData("\"4Gi\"", 4L << 30)]
    [InlineData("\"512Mi\"", 512L << 20)]
    [InlineData("\"1.5 gb\"", 3L << 29)]
    public void Load_ReadsTheMemoryLimitInBytes_FromACountOrASize(string text, long bytes)
    {
        var config = Configs.LoadValid(Configs.Base + $"\nresources: {{memory_limit: {text}, pids_limit: 100}}");

        Assert.Equal(bytes, config.Resources.MemoryLimit);
        Assert.Equal(100, config.Resources.PidsLimit);
    }

    [Theory]
    [InlineData("memory_limit: \"lots\"")]
    [InlineData("memory_limit: 1000")]
    [InlineData("memory_limit: -5")]
    [InlineData("pids_limit: 3")]
    public void Load_RejectsTaskLimits_ThatAreNotSizesOrTooSmall(string setting)
    {
        Expect.Line(Configs.ErrorLines(Configs.Base + $"\nresources: {{{setting}}}"), "<config>.resources." + setting.Split(':')[0], "");
    }

    [Fact]
    public void Load_AcceptsAnAbsoluteStoragePath_InsideHostPath()
    {
        var storage = Assert.IsType<SharedFsStorageConfig>(Configs.LoadValid(Configs.Base + "\ncheckpoint_storage: {type: shared_fs, host_path: /mnt/ckpt/, storage_path: /mnt/ckpt/a/./b}").CheckpointStorage);

        Assert.Equal("/mnt/ckpt/a/b", storage.BaseDirectory);
    }

    [Fact]
    public void Load_RejectsARelativeHostPath_ForSharedFs()
    {
        Expect.Line(Configs.ErrorLines(Configs.Base + "\ncheckpoint_storage: {type: shared_fs, host_path: ckpt}"), "<config>.checkpoint_storage.host_path", "absolute");
    }

    [Theory]
    [InlineData("../up")]
    [InlineData("a/../../b")]
    [InlineData("..")]
    public void Load_RejectsS3Prefixes_ThatClimbOutOfTheBucket(string prefix)
    {
        Expect.Line(Configs.ErrorLines(Configs.Base + $"\ncheckpoint_storage: {{type: s3, bucket: b, prefix: \"{prefix}\"}}"), "<config>.checkpoint_storage.prefix", "..");
    }

    [Fact]
    public void Load_RejectsAnUnknownStorageType_ListingTheKnownOnes()
    {
        Expect.Line(Configs.ErrorLines(Configs.Base + "\ncheckpoint_storage: {type: ftp}"), "<config>.checkpoint_storage", "\"ftp\"", "\"shared_fs\"", "\"directory\"");
    }

    [Fact]
    public void Load_RejectsSlotsPerTrial_BeyondTheLargestAgent()
    {
        var options = Configs.Options() with { MaxSlotsPerAgent = 8 };

        var lines = Configs.ErrorLines(Configs.Base + "\nresources: {slots_per_trial: 16}", options);

        Assert.Equal(["<config>.resources.slots_per_trial: no agent/pool can provide 16 slots (at most 8)"], lines);
    }

    [Fact]
    public void Load_AcceptsMultiNodeTrials_UpToThePoolCapacity()
    {
        var options = Configs.Options() with { MaxSlotsPerAgent = 8, PoolSlotCapacity = 32 };

        Assert.True(ExperimentConfigLoader.Load(Configs.Base + "\nresources: {slots_per_trial: 16}", options).IsValid);
        Expect.Line(Configs.ErrorLines(Configs.Base + "\nresources: {slots_per_trial: 64}", options), "<config>.resources.slots_per_trial", "64 slots");
        Expect.Line(Configs.ErrorLines(Configs.Base + "\nresources: {slots_per_trial: 16, is_single_node: true}", options), "<config>.resources.slots_per_trial", "16 slots");
    }

    [Fact]
    public void Load_OnlyWarnsAboutSlots_WhenThePoolAutoscales()
    {
        var result = ExperimentConfigLoader.Load(Configs.Base + "\nresources: {slots_per_trial: 16}", Configs.Options() with { MaxSlotsPerAgent = 8, PoolAutoscales = true });

        Assert.True(result.IsValid);
        Assert.Contains("no agent/pool can provide 16 slots", Assert.Single(result.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_RejectsAnUnknownResourcePool_WhenThePoolsAreKnown()
    {
        var options = Configs.Options() with { ResourcePools = ["default", "gpu"] };

        Expect.Line(Configs.ErrorLines(Configs.Base + "\nresources: {resource_pool: tpu}", options), "<config>.resources.resource_pool", "invalid resource configuration", "\"tpu\"");
        Assert.True(ExperimentConfigLoader.Load(Configs.Base + "\nresources: {resource_pool: gpu}", options).IsValid);
    }

    [Fact]
    public void Load_AcceptsWorkspaceAndProject_Together()
    {
        var config = Configs.LoadValid(Configs.Base + "\nworkspace: research\nproject: vision");

        Assert.Equal(("research", "vision"), (config.Workspace, config.Project));
    }

    [Fact]
    public void Load_RejectsProfiling_ThatEndsBeforeItBegins()
    {
        Expect.Line(Configs.ErrorLines(Configs.Base + "\nprofiling: {begin_on_batch: 10, end_after_batch: 5}"), "<config>.profiling", "begin_on_batch");
    }

    [Fact]
    public void Load_RejectsBothWarmStartSources_AtOnce()
    {
        var lines = Configs.ErrorLines("entrypoint: a:B\nsearcher: {name: single, metric: l, max_length: 5, source_trial_id: 3, source_checkpoint_uuid: abc}");

        Expect.Line(lines, "<config>.searcher", "source_trial_id", "source_checkpoint_uuid");
    }
}

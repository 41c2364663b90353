using System.Text.Json.Nodes;

namespace Determinant.Config.Tests.Loading;

/// <summary>Merging with the master's defaults and templates (REFERENCE.md §2.1 step 3): the user always wins.</summary>
public sealed class MergeTests
{
    private const string Storage = "\ncheckpoint_storage: {type: directory, container_path: /from-master}";

    private static ExperimentConfig LoadWith(string yaml, string masterDefaults, string? template = null)
    {
        if (!masterDefaults.Contains("checkpoint_storage", StringComparison.Ordinal))
            masterDefaults += Storage;
        var result = ExperimentConfigLoader.Load(yaml, Configs.Options() with { MasterDefaults = masterDefaults, Template = template });
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        return result.Config!;
    }

    [Fact]
    public void Load_UsesThePackagedCheckpointStorage_WhenNeitherUserNorMasterGivesOne()
    {
        var storage = Assert.IsType<SharedFsStorageConfig>(Configs.LoadValid(Configs.Base).CheckpointStorage);

        Assert.Equal(("/tmp", "determined-checkpoint", "/tmp/determined-checkpoint"), (storage.HostPath, storage.StoragePath, storage.BaseDirectory));
        Assert.Equal((0, 1, 1), (storage.SaveExperimentBest, storage.SaveTrialBest, storage.SaveTrialLatest));
    }

    [Fact]
    public void Load_RequiresCheckpointStorage_WhenTheMasterDefaultsAreRemoved()
    {
        var lines = Configs.ErrorLines(Configs.Base, Configs.Options() with { MasterDefaults = null });

        Expect.Line(lines, "<config>", "checkpoint_storage", "required");
    }

    [Fact]
    public void Load_TakesTheMastersStorage_InPlaceOfThePackagedOne()
    {
        var config = LoadWith(Configs.Base, "checkpoint_storage: {type: directory, container_path: /ckpt}");

        Assert.Equal(new DirectoryStorageConfig("/ckpt"), config.CheckpointStorage);
    }

    [Fact]
    public void Load_MergesStorageFields_WhenTheTypesAreEqual()
    {
        var config = LoadWith(
            Configs.Base + "\ncheckpoint_storage: {type: shared_fs, host_path: /mine, save_trial_best: 3}",
            "checkpoint_storage: {type: shared_fs, host_path: /master, storage_path: sub, save_trial_latest: 2}");

        var storage = Assert.IsType<SharedFsStorageConfig>(config.CheckpointStorage);
        Assert.Equal(("/mine", "sub", 3, 2), (storage.HostPath, storage.StoragePath, storage.SaveTrialBest, storage.SaveTrialLatest));
    }

    [Fact]
    public void Load_KeepsTheUsersStorageAlone_WhenTheTypesDiffer()
    {
        var config = LoadWith(
            Configs.Base + "\ncheckpoint_storage: {type: directory, container_path: /c}",
            "checkpoint_storage: {type: shared_fs, host_path: /master, save_trial_latest: 4}");

        Assert.Equal(new DirectoryStorageConfig("/c"), config.CheckpointStorage);
    }

    [Fact]
    public void Load_MergesTheSearcher_OnlyWhenTheNamesAreEqual()
    {
        const string Defaults = "searcher: {name: adaptive_asha, metric: m, max_trials: 8, max_length: 10, divisor: 3}";

        var same = LoadWith("entrypoint: a.b\nsearcher: {name: adaptive_asha, metric: loss, max_trials: 4}", Defaults);
        var other = LoadWith("entrypoint: a.b\nsearcher: {name: single, metric: loss, max_length: 7}", Defaults);

        var asha = Assert.IsType<AdaptiveAshaSearcherConfig>(same.Searcher);
        Assert.Equal(("loss", 4, Length.Unitless(10), 3.0), (asha.Metric, asha.MaxTrials, asha.MaxLength, asha.Divisor));
        Assert.Equal(new SingleSearcherConfig(Length.Unitless(7)) { Metric = "loss" }, other.Searcher);
    }

    [Fact]
    public void Load_AppendsMasterBindMounts_UnlessTheirContainerPathIsTaken()
    {
        var config = LoadWith(
            Configs.Base + "\nbind_mounts: [{host_path: /mine, container_path: /data}]",
            "bind_mounts: [{host_path: /shared, container_path: /data}, {host_path: /cache, container_path: /cache}]");

        Assert.Equal([new BindMount("/mine", "/data"), new BindMount("/cache", "/cache")], config.BindMounts.ToArray());
    }

    [Fact]
    public void Load_MergesNestedHyperparameters_ButKeepsTypedOnesWhole()
    {
        var config = LoadWith(
            """
            entrypoint: a:B
            searcher: {name: single, metric: l, max_length: 1}
            hyperparameters:
              lr: {type: double, minval: 0.1, maxval: 0.2}
              optimizer: {name: adam}
              dropout: null
            """,
            """
            hyperparameters:
              lr: {type: log, minval: -3, maxval: -1, base: 10}
              optimizer: {name: sgd, momentum: 0.9}
              dropout: 0.5
              extra: 1
            """);

        Assert.Equal(new DoubleHyperparameter(0.1, 0.2), config.Hyperparameters["lr"]);
        var optimizer = Assert.IsType<NestedHyperparameter>(config.Hyperparameters["optimizer"]).Children;
        Assert.Equal("adam", (string)((ConstHyperparameter)optimizer["name"]).Value!);
        Assert.Equal(0.9, (double)((ConstHyperparameter)optimizer["momentum"]).Value!);
        Assert.Null(((ConstHyperparameter)config.Hyperparameters["dropout"]).Value);
        Assert.Equal(1L, (long)((ConstHyperparameter)config.Hyperparameters["extra"]).Value!);
    }

    [Fact]
    public void Load_LetsUserScalarsWin_AndFillsWhatIsMissingOrNull()
    {
        var config = LoadWith(
            Configs.Base + "\nmax_restarts: 2\nresources: {slots_per_trial: 4, priority: null}\ndescription: null",
            "max_restarts: 9\nscheduling_unit: 50\ndescription: from master\nresources: {slots_per_trial: 1, priority: 30, weight: 3}");

        Assert.Equal((2, 50, "from master"), (config.MaxRestarts, config.SchedulingUnit, config.Description));
        Assert.Equal((4, 30, 3.0), (config.Resources.SlotsPerTrial, config.Resources.Priority, config.Resources.Weight));
    }

    [Fact]
    public void Load_MergesTheTemplate_AboveTheMasterDefaults()
    {
        var config = LoadWith(Configs.Base, masterDefaults: "max_restarts: 9\nlabels: [master]", template: "max_restarts: 3\ndata: {url: x}");

        Assert.Equal(3, config.MaxRestarts);
        Assert.Equal(["master"], config.Labels.ToArray());
        Assert.Equal("x", (string?)config.Data["url"]);
    }

    [Fact]
    public void Load_ReportsMasterDefaultsSyntaxErrors_UnderTheirOwnLabel()
    {
        var lines = Configs.ErrorLines(Configs.Base, Configs.Options() with { MasterDefaults = "a: [1" });

        Assert.StartsWith("<master defaults>: YAML syntax error", Assert.Single(lines), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_LeavesTheMasterDefaultsUnchanged_AcrossLoads()
    {
        var options = Configs.Options() with { MasterDefaults = "data: {a: 1}\ncheckpoint_storage: {type: directory, container_path: /c}" };

        var first = ExperimentConfigLoader.Load(Configs.Base + "\ndata: {b: 2}", options).Config!;
        var second = ExperimentConfigLoader.Load(Configs.Base, options).Config!;

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"b": 2, "a": 1}"""), first.Data));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"a": 1}"""), second.Data));
    }
}

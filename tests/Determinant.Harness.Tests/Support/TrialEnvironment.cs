using System.Text.Json.Nodes;
using Determinant.Config;
using Determinant.Testing;

namespace Determinant.Harness.Tests.Support;

/// <summary>Builds a trial's DET_* environment from a YAML config, as the master would, with checkpoints under a temporary directory.</summary>
internal static class TrialEnvironment
{
    public static Dictionary<string, string?> For(string yaml, string checkpointDirectory, string workDirectory, int seed = 17, string? latestCheckpoint = null, ulong stepsCompleted = 0, JsonObject? hparams = null)
    {
        var defaults = new JsonObject { ["checkpoint_storage"] = new JsonObject { ["type"] = "shared_fs", ["host_path"] = checkpointDirectory } }.ToJsonString();
        var loaded = ExperimentConfigLoader.Load(yaml, new ConfigLoadOptions { MasterDefaults = defaults, Random = new Random(1) });
        Assert.True(loaded.IsValid, string.Join('\n', loaded.Errors));
        var config = loaded.Config!;
        hparams ??= ConstHyperparameters(config);
        var env = new Dictionary<string, string?>
        {
            ["DET_EXPERIMENT_CONFIG"] = ExperimentConfigJson.Serialize(config),
            ["DET_HPARAMS"] = hparams.ToJsonString(),
            ["DET_TRIAL_SEED"] = seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["DET_EXPERIMENT_ID"] = "3",
            ["DET_TRIAL_ID"] = "11",
            ["DET_TRIAL_RUN_ID"] = "1",
            ["DET_TASK_ID"] = "3.request",
            ["DET_ALLOCATION_ID"] = "3.request.1",
            ["DET_WORKDIR"] = workDirectory,
        };
        if (latestCheckpoint is not null)
        {
            env["DET_LATEST_CHECKPOINT"] = latestCheckpoint;
            env["DET_STEPS_COMPLETED"] = stepsCompleted.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return env;
    }

    public static string IrisDirectory => TestRepository.PathOf("examples/iris");

    public static string DigitsDirectory => TestRepository.PathOf("examples/digits");

    private static JsonObject ConstHyperparameters(ExperimentConfig config)
    {
        var result = new JsonObject();
        foreach (var (name, hp) in config.Hyperparameters)
            result[name] = hp is ConstHyperparameter c ? c.Value?.DeepClone() : throw new InvalidOperationException($"hyperparameter {name} is not a constant");
        return result;
    }
}

using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Determinant.Config;
using Determinant.Harness.Loop;

namespace Determinant.Harness.Hosting;

/// <summary>The trial's environment (REFERENCE.md §7.1), parsed and checked.</summary>
internal sealed record HarnessEnvironment(
    ExperimentConfig Config,
    string ConfigJson,
    JsonObject Hyperparameters,
    int TrialSeed,
    TrialIdentity Ids,
    string? LatestCheckpoint,
    ulong StepsCompleted,
    string WorkDirectory,
    string? MasterUrl,
    string? SessionToken,
    string ClusterId)
{
    /// <summary>This worker's rank among the trial's workers (the rank variables of §7.1); a single worker without them.</summary>
    public DistributedContext Distributed { get; init; } = DistributedContext.Single;

    /// <summary>How long a collective among the workers waits for a peer (<c>DET_COLLECTIVE_TIMEOUT_SECONDS</c>, default 15 minutes).</summary>
    public TimeSpan CollectiveTimeout { get; init; } = Determinant.Harness.Distributed.DistributedOptions.DefaultTimeout;

    /// <summary>The cluster id used when <c>DET_CLUSTER_ID</c> is absent (a trial run by hand).</summary>
    public const string LocalClusterId = "local";

    /// <exception cref="ArgumentException">A variable is missing or malformed; the message names it.</exception>
    public static HarnessEnvironment Parse(IReadOnlyDictionary<string, string?> env)
    {
        var configJson = Required(env, "DET_EXPERIMENT_CONFIG");
        ExperimentConfig config;
        try
        {
            config = ExperimentConfigJson.Deserialize(configJson);
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"DET_EXPERIMENT_CONFIG is not a valid experiment config: {ex.Message}", ex);
        }

        var hparams = ParseObject(env, "DET_HPARAMS");
        var experimentId = Int(env, "DET_EXPERIMENT_ID", 0);
        var trialId = Int(env, "DET_TRIAL_ID", 0);
        var runId = Int(env, "DET_TRIAL_RUN_ID", 1);
        var taskId = Optional(env, "DET_TASK_ID") ?? string.Create(CultureInfo.InvariantCulture, $"{experimentId}.trial-{trialId}");
        var allocationId = Optional(env, "DET_ALLOCATION_ID") ?? string.Create(CultureInfo.InvariantCulture, $"{taskId}.{runId}");
        return new HarnessEnvironment(
            config, configJson, hparams, Int(env, "DET_TRIAL_SEED", 0),
            new TrialIdentity(experimentId, trialId, runId, taskId, allocationId),
            Optional(env, "DET_LATEST_CHECKPOINT"),
            ulong.TryParse(Optional(env, "DET_STEPS_COMPLETED") ?? "0", NumberStyles.None, CultureInfo.InvariantCulture, out var steps)
                ? steps : throw new ArgumentException($"DET_STEPS_COMPLETED must be a non-negative integer, not '{env["DET_STEPS_COMPLETED"]}'"),
            Optional(env, "DET_WORKDIR") ?? Environment.CurrentDirectory,
            Optional(env, "DET_MASTER"),
            Optional(env, "DET_SESSION_TOKEN"),
            Optional(env, "DET_CLUSTER_ID") ?? LocalClusterId)
        {
            Distributed = DistributedContext.FromEnvironment(env),
            CollectiveTimeout = Optional(env, "DET_COLLECTIVE_TIMEOUT_SECONDS") is not { } timeout ? Determinant.Harness.Distributed.DistributedOptions.DefaultTimeout
                : double.TryParse(timeout, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0 ? TimeSpan.FromSeconds(seconds)
                : throw new ArgumentException($"DET_COLLECTIVE_TIMEOUT_SECONDS must be a positive number of seconds, not '{timeout}'"),
        };
    }

    /// <summary>The <c>optimizations</c> that distributed training reads, checked.</summary>
    /// <exception cref="ArgumentException">A field has the wrong type or range; the message names it.</exception>
    public Determinant.Harness.Distributed.DistributedOptions DistributedOptions()
    {
        var optimizations = Config.Optimizations;
        var megabytes = Determinant.Harness.Distributed.DistributedOptions.DefaultFusionThresholdMegabytes;
        if (optimizations?["tensor_fusion_threshold"] is { } threshold)
        {
            megabytes = threshold.GetValueKind() == JsonValueKind.Number
                && double.TryParse(threshold.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d == Math.Floor(d) && d is >= 1 and <= 4096
                ? (int)d : throw new ArgumentException($"optimizations.tensor_fusion_threshold must be an integer number of megabytes in [1, 4096], not {threshold.ToJsonString()}");
        }

        var average = true;
        if (optimizations?["average_training_metrics"] is { } averaging)
        {
            average = averaging.GetValueKind() is JsonValueKind.True or JsonValueKind.False
                ? averaging.GetValue<bool>() : throw new ArgumentException($"optimizations.average_training_metrics must be true or false, not {averaging.ToJsonString()}");
        }

        return new Determinant.Harness.Distributed.DistributedOptions(megabytes * 1024L * 1024L, average, CollectiveTimeout);
    }

    public static IReadOnlyDictionary<string, string?> FromProcess() =>
        Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value, StringComparer.Ordinal);

    private static string? Optional(IReadOnlyDictionary<string, string?> env, string name) =>
        env.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;

    private static string Required(IReadOnlyDictionary<string, string?> env, string name) =>
        Optional(env, name) ?? throw new ArgumentException($"{name} is not set; the harness needs it to run a trial");

    private static int Int(IReadOnlyDictionary<string, string?> env, string name, int fallback) =>
        Optional(env, name) is not { } text ? fallback
        : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value
        : throw new ArgumentException($"{name} must be an integer, not '{text}'");

    /// <summary>What the trial class is constructed with: this trial's hyperparameters, config, seed and ids.</summary>
    public TrialContext ToTrialContext() => new()
    {
        Hyperparameters = Hyperparameters,
        ExperimentConfig = Config,
        TrialSeed = TrialSeed,
        ExperimentId = Ids.ExperimentId,
        TrialId = Ids.TrialId,
        TrialRunId = Ids.TrialRunId,
        ModelDefinitionDirectory = WorkDirectory,
    };

    private static JsonObject ParseObject(IReadOnlyDictionary<string, string?> env, string name)
    {
        try
        {
            return JsonNode.Parse(Required(env, name)) as JsonObject ?? throw new ArgumentException($"{name} must be a JSON object");
        }
        catch (JsonException ex)
        {
            throw new ArgumentException($"{name} is not JSON: {ex.Message}", ex);
        }
    }
}

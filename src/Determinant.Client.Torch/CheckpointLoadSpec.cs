using System.Text.Json;
using System.Text.Json.Nodes;
using Determinant.Config;

namespace Determinant.Client.Torch;

/// <summary>What a harness checkpoint's <c>load.json</c> says about rebuilding its trial (REFERENCE.md §4.1).</summary>
internal sealed record CheckpointLoadSpec(string Entrypoint, ExperimentConfig Config, JsonObject Hyperparameters, int ExperimentId, int TrialId)
{
    public const string FileName = "load.json";

    /// <exception cref="InvalidDataException">The file is missing, not JSON, or lacks a field; the message names the file and field.</exception>
    public static CheckpointLoadSpec Read(string checkpointDirectory)
    {
        var path = Path.Combine(checkpointDirectory, FileName);
        if (!File.Exists(path))
            throw new InvalidDataException($"{path} is missing: only checkpoints that the harness wrote for a trial class can be loaded back");
        JsonObject root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new InvalidDataException($"{path}: not a JSON object");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid JSON ({e.Message})", e);
        }
        var entrypoint = root["trial_cls_spec"] is JsonValue spec && spec.TryGetValue<string>(out var text) && text.Length > 0
            ? text : throw new InvalidDataException($"{path}: trial_cls_spec is missing or not a string");
        var hparams = root["hparams"] as JsonObject ?? throw new InvalidDataException($"{path}: hparams is missing or not an object");
        var configNode = root["experiment_config"] as JsonObject ?? throw new InvalidDataException($"{path}: experiment_config is missing or not an object");
        ExperimentConfig config;
        try
        {
            config = ExperimentConfigJson.Deserialize(configNode.ToJsonString());
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: experiment_config is not a valid config ({e.Message})", e);
        }
        var metadata = ReadMetadata(checkpointDirectory);
        return new CheckpointLoadSpec(entrypoint, config, (JsonObject)hparams.DeepClone(), Int(metadata, "experiment_id"), Int(metadata, "trial_id"));
    }

    private static JsonObject? ReadMetadata(string directory)
    {
        var path = Path.Combine(directory, "metadata.json");
        try
        {
            return File.Exists(path) ? JsonNode.Parse(File.ReadAllText(path)) as JsonObject : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static int Int(JsonObject? metadata, string name) =>
        metadata?[name] is JsonValue v && v.TryGetValue<int>(out var i) ? i : 0;
}

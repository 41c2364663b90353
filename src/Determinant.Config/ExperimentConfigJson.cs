using System.Text.Json;
using System.Text.Json.Nodes;
using Determinant.Config.Binding;
using Determinant.Config.Serialization;

namespace Determinant.Config;

/// <summary>
/// The JSON form of a resolved config: YAML field names, every field present. It is what a trial receives in
/// <c>DET_EXPERIMENT_CONFIG</c> and what the master stores.
/// </summary>
public static class ExperimentConfigJson
{
    private static readonly JsonDocumentOptions Strict = new() { AllowDuplicateProperties = false };

    /// <summary>Writes <paramref name="config"/> as compact JSON; equal configs give identical text.</summary>
    public static string Serialize(ExperimentConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return ConfigJsonWriter.Write(config);
    }

    /// <summary>Reads a config written by <see cref="Serialize"/>, checking it as a loaded config is checked.</summary>
    /// <remarks>No defaults from the master or the clock are applied: <c>name</c> and the experiment seed must be present.</remarks>
    /// <exception cref="JsonException">The text is not JSON, not an object, or not a valid config (the message lists every error).</exception>
    public static ExperimentConfig Deserialize(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (JsonNode.Parse(json, documentOptions: Strict) is not JsonObject root)
            throw new JsonException("an experiment config must be a JSON object");
        var diagnostics = new ConfigDiagnostics();
        var config = ExperimentBinder.Bind(root, new BindContext(diagnostics, ConfigLoadOptions.Default.SourceName));
        if (config is null)
            throw new JsonException("invalid experiment configuration:\n" + string.Join('\n', diagnostics.SortedErrors()));
        return config;
    }
}

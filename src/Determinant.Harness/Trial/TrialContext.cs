using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Determinant.Config;
using TorchSharp;

namespace Determinant.Harness;

/// <summary>What a trial is given: its hyperparameters, the experiment config, its seed, batch size, device and ids.</summary>
/// <remarks>The harness builds it from the trial's environment (REFERENCE.md §7.1); tests may build one directly.</remarks>
public sealed class TrialContext
{
    /// <summary>This trial's sampled hyperparameters (<c>DET_HPARAMS</c>), nested objects kept.</summary>
    public required JsonObject Hyperparameters { get; init; }

    /// <summary>The experiment's merged and defaulted config (<c>DET_EXPERIMENT_CONFIG</c>).</summary>
    public required ExperimentConfig ExperimentConfig { get; init; }

    /// <summary>The trial's seed (<c>DET_TRIAL_SEED</c>); the harness seeds torch and the data order with it.</summary>
    public int TrialSeed { get; init; }

    /// <summary>The experiment id (<c>DET_EXPERIMENT_ID</c>).</summary>
    public int ExperimentId { get; init; }

    /// <summary>The trial id (<c>DET_TRIAL_ID</c>).</summary>
    public int TrialId { get; init; }

    /// <summary>The run of this trial, 1 on its first allocation (<c>DET_TRIAL_RUN_ID</c>).</summary>
    public int TrialRunId { get; init; } = 1;

    /// <summary>The device to put models and batches on.</summary>
    public torch.Device Device { get; init; } = torch.CPU;

    /// <summary>The directory of the model definition (<c>DET_WORKDIR</c>); data files are found relative to it.</summary>
    public string ModelDefinitionDirectory { get; init; } = Environment.CurrentDirectory;

    /// <summary>The <c>global_batch_size</c> hyperparameter: records per batch over all slots.</summary>
    /// <exception cref="InvalidOperationException">The hyperparameter is missing or not a positive integer.</exception>
    public int GlobalBatchSize
    {
        get
        {
            var size = GetInt("global_batch_size");
            return size > 0 ? size : throw new InvalidOperationException($"hyperparameter 'global_batch_size' must be a positive integer, not {size}");
        }
    }

    /// <summary>Slots the trial trains on (<c>resources.slots_per_trial</c>; a CPU-only trial with 0 slots counts as 1).</summary>
    public int Slots => Math.Max(ExperimentConfig.Resources.SlotsPerTrial, 1);

    /// <summary>Records per batch on this slot: <see cref="GlobalBatchSize"/> / <see cref="Slots"/>.</summary>
    public int PerSlotBatchSize => Math.Max(GlobalBatchSize / Slots, 1);

    /// <summary>A hyperparameter as a double.</summary>
    /// <exception cref="KeyNotFoundException">There is no such hyperparameter; the message lists those there are.</exception>
    /// <exception cref="InvalidOperationException">The value is not a number.</exception>
    public double GetDouble(string name) =>
        Read(name, "a number", static e => e.ValueKind == JsonValueKind.Number ? e.GetDouble() : (double?)null)!.Value;

    /// <summary>A hyperparameter as an integer (a whole-valued number such as 16.0 is accepted).</summary>
    /// <exception cref="KeyNotFoundException">There is no such hyperparameter; the message lists those there are.</exception>
    /// <exception cref="InvalidOperationException">The value is not an integer that fits an <see cref="int"/>.</exception>
    public int GetInt(string name) => Read(name, "an integer", static e =>
        e.ValueKind == JsonValueKind.Number && e.GetDouble() is var d && d == Math.Floor(d) && d is >= int.MinValue and <= int.MaxValue
            ? (int)d : (int?)null)!.Value;

    /// <summary>A hyperparameter as a string.</summary>
    /// <exception cref="KeyNotFoundException">There is no such hyperparameter; the message lists those there are.</exception>
    /// <exception cref="InvalidOperationException">The value is not a string.</exception>
    public string GetString(string name) => Read(name, "a string", static e => e.ValueKind == JsonValueKind.String ? e.GetString() : null)!;

    /// <summary>A hyperparameter as a boolean.</summary>
    /// <exception cref="KeyNotFoundException">There is no such hyperparameter; the message lists those there are.</exception>
    /// <exception cref="InvalidOperationException">The value is not true or false.</exception>
    public bool GetBool(string name) =>
        Read(name, "true or false", static e => e.ValueKind is JsonValueKind.True or JsonValueKind.False ? e.GetBoolean() : (bool?)null)!.Value;

    private T Read<T>(string name, string expected, Func<JsonElement, T> convert)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!Hyperparameters.TryGetPropertyValue(name, out var node))
            throw new KeyNotFoundException($"no hyperparameter '{name}'; the trial has: {string.Join(", ", Hyperparameters.Select(p => p.Key).Order(StringComparer.Ordinal))}");
        using var document = JsonDocument.Parse(node?.ToJsonString() ?? "null");
        return convert(document.RootElement) ?? throw new InvalidOperationException(
            string.Create(CultureInfo.InvariantCulture, $"hyperparameter '{name}' must be {expected}, not {node?.ToJsonString() ?? "null"}"));
    }
}

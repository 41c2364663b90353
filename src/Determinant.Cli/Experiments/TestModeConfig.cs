using System.Globalization;
using System.Text.Json.Nodes;

namespace Determinant.Cli.Experiments;

/// <summary>
/// The config of a test-mode experiment (REFERENCE.md §6.2, <c>-t</c>), made from the config the master resolved: one trial
/// of one batch, validated and checkpointed after it, one concrete value per hyperparameter, no restarts, nothing kept.
/// </summary>
internal static class TestModeConfig
{
    public static string From(JsonObject resolved)
    {
        var config = (JsonObject)resolved.DeepClone();
        config["description"] = "[test-mode] " + ((string?)config["description"] ?? (string?)config["name"] ?? "");
        config["scheduling_unit"] = 1;
        config["min_validation_period"] = new JsonObject { ["batches"] = 1 };
        config["max_restarts"] = 0;
        if (config["checkpoint_storage"] is JsonObject storage)
        {
            storage["save_experiment_best"] = 0;
            storage["save_trial_best"] = 0;
            storage["save_trial_latest"] = 0;
        }
        var searcher = config["searcher"] as JsonObject ?? [];
        config["searcher"] = new JsonObject
        {
            ["name"] = "single",
            ["metric"] = searcher["metric"]?.DeepClone(),
            ["smaller_is_better"] = searcher["smaller_is_better"]?.DeepClone() ?? true,
            ["max_length"] = new JsonObject { ["batches"] = 1 },
        };
        if (config["hyperparameters"] is JsonObject hparams)
            config["hyperparameters"] = Concrete(hparams);
        return WithoutNulls(config).ToJsonString();
    }

    /// <summary>Every hyperparameter as a constant: its value, its minimum (for a log range, base^minval) or its first choice.</summary>
    private static JsonObject Concrete(JsonObject hparams)
    {
        var result = new JsonObject();
        foreach (var (name, node) in hparams)
        {
            result[name] = node is JsonObject spec && (string?)spec["type"] is { } type
                ? type switch
                {
                    "const" => Constant(spec["val"]?.DeepClone()),
                    "int" or "double" => Constant(spec["minval"]?.DeepClone()),
                    "log" => Constant(Math.Pow((double?)spec["base"] ?? 10, (double)spec["minval"]!)),
                    "categorical" => Constant((spec["vals"] as JsonArray)?.FirstOrDefault()?.DeepClone()),
                    _ => node.DeepClone(),
                }
                : node is JsonObject nested ? Concrete(nested) : node?.DeepClone();
        }
        return result;
    }

    private static JsonObject Constant(JsonNode? value) => new() { ["type"] = "const", ["val"] = value };

    private static JsonObject Constant(double value) =>
        Constant(JsonValue.Create(double.Parse(value.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)));

    private static JsonObject WithoutNulls(JsonObject node)
    {
        foreach (var name in node.Where(p => p.Value is null).Select(p => p.Key).ToList())
            node.Remove(name);
        foreach (var child in node.Select(p => p.Value).OfType<JsonObject>())
            WithoutNulls(child);
        return node;
    }
}

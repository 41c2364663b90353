using System.Text.Json.Nodes;
using Determinant.Config.Binding;

namespace Determinant.Config.Merging;

/// <summary>
/// Fills a user config with values from a lower-priority source (a template or the master's defaults) by the rules of
/// REFERENCE.md §2.1 step 3. The user always wins; null in the user config counts as not given.
/// </summary>
internal static class ConfigMerger
{
    /// <summary>Merges <paramref name="source"/> into <paramref name="target"/>, which is changed; the source is only read.</summary>
    public static void Merge(JsonObject target, JsonObject source)
    {
        foreach (var (key, sourceValue) in source)
        {
            if (sourceValue is null)
                continue;
            var targetValue = target[key];
            if (targetValue is null)
            {
                target[key] = sourceValue.DeepClone();
                continue;
            }
            switch (key)
            {
                case "hyperparameters" when targetValue is JsonObject mine && sourceValue is JsonObject theirs:
                    MergeHyperparameters(mine, theirs);
                    break;
                case "checkpoint_storage" or "searcher":
                    // A storage or searcher of another type is a different thing altogether: its fields do not apply.
                    var discriminator = key == "searcher" ? "name" : "type";
                    if (targetValue is JsonObject user && sourceValue is JsonObject fallback && SameString(user[discriminator], fallback[discriminator]))
                        MergeObjects(user, fallback);
                    break;
                case "bind_mounts" when targetValue is JsonArray mine && sourceValue is JsonArray theirs:
                    AppendMounts(mine, theirs);
                    break;
                default:
                    if (targetValue is JsonObject userObject && sourceValue is JsonObject sourceObject)
                        MergeObjects(userObject, sourceObject);
                    break;
            }
        }
    }

    private static void MergeObjects(JsonObject target, JsonObject source)
    {
        foreach (var (key, sourceValue) in source)
        {
            if (sourceValue is null)
                continue;
            var targetValue = target[key];
            if (targetValue is null)
                target[key] = sourceValue.DeepClone();
            else if (targetValue is JsonObject mine && sourceValue is JsonObject theirs)
                MergeObjects(mine, theirs);
        }
    }

    // Typed hyperparameters are atomic; only nested maps merge. A user's null is a constant null, so it is kept.
    private static void MergeHyperparameters(JsonObject target, JsonObject source)
    {
        foreach (var (name, sourceValue) in source)
        {
            if (!target.TryGetPropertyValue(name, out var targetValue))
                target[name] = sourceValue?.DeepClone();
            else if (IsNested(targetValue) && IsNested(sourceValue))
                MergeHyperparameters((JsonObject)targetValue!, (JsonObject)sourceValue!);
        }
    }

    private static void AppendMounts(JsonArray target, JsonArray source)
    {
        var used = target.Select(m => (m as JsonObject)?["container_path"]).OfType<JsonNode>()
            .Select(p => NodeValues.TryGetString(p, out var text) ? text : null).ToHashSet(StringComparer.Ordinal);
        foreach (var mount in source)
        {
            var path = (mount as JsonObject)?["container_path"];
            if (!NodeValues.TryGetString(path, out var text) || !used.Contains(text))
                target.Add(mount?.DeepClone());
        }
    }

    private static bool IsNested(JsonNode? node) => node is JsonObject obj && obj["type"] is null;

    private static bool SameString(JsonNode? a, JsonNode? b) =>
        NodeValues.TryGetString(a, out var left) && NodeValues.TryGetString(b, out var right) && left == right;
}

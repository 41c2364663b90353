using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Determinant.Config.Binding;

namespace Determinant.Config.Checks;

/// <summary>Grid search needs a finite grid: a <c>count</c> on every numeric range, and at least one hyperparameter.</summary>
internal static class GridChecks
{
    private const string NeedsCount = "count is required on this hyperparameter because the searcher is grid";

    /// <param name="hyperparameters">The hyperparameters that bound without error.</param>
    /// <param name="declared">
    /// How many the config declared: invalid ones must not also read as "none at all", and an empty nested map is
    /// still one grid point (REFERENCE.md §3.4).
    /// </param>
    /// <param name="context">Where errors go.</param>
    public static void Run(ImmutableSortedDictionary<string, Hyperparameter> hyperparameters, int declared, BindContext context)
    {
        if (context.SearcherName != "grid")
            return;
        var path = $"{context.Root}.hyperparameters";
        if (declared == 0)
            context.Diagnostics.Error(path, "grid search needs at least one hyperparameter");
        Walk(hyperparameters, path, context.Diagnostics);
    }

    private static void Walk(ImmutableSortedDictionary<string, Hyperparameter> map, string path, ConfigDiagnostics diagnostics)
    {
        foreach (var (name, hyperparameter) in map)
        {
            var at = $"{path}.{name}";
            switch (hyperparameter)
            {
                case IntHyperparameter { Count: null } or DoubleHyperparameter { Count: null } or LogHyperparameter { Count: null }:
                    diagnostics.Error(at, NeedsCount);
                    break;
                case NestedHyperparameter nested:
                    Walk(nested.Children, at, diagnostics);
                    break;
                case ConstHyperparameter { Value: JsonArray list }:
                    WalkRaw(list, at, diagnostics);
                    break;
            }
        }
    }

    // Lists are constants, but a range written inside one still reads like a grid axis to users, as in Determined.
    private static void WalkRaw(JsonNode? node, string path, ConfigDiagnostics diagnostics)
    {
        switch (node)
        {
            case JsonArray list:
                for (var i = 0; i < list.Count; i++)
                    WalkRaw(list[i], $"{path}[{i}]", diagnostics);
                break;
            case JsonObject obj when NodeValues.TryGetString(obj["type"], out var type):
                if (type is "int" or "double" or "log" && obj["count"] is null)
                    diagnostics.Error(path, NeedsCount);
                break;
            case JsonObject obj:
                foreach (var (key, child) in obj)
                    WalkRaw(child, $"{path}.{key}", diagnostics);
                break;
        }
    }

}

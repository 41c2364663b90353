using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Determinant.Config.Binding;

namespace Determinant.Config.Checks;

/// <summary>Grid search needs a finite grid: a <c>count</c> on every numeric range, and at least one hyperparameter.</summary>
internal static class GridChecks
{
    private const string NeedsCount = "count is required on this hyperparameter because the searcher is grid";

    public static void Run(ImmutableSortedDictionary<string, Hyperparameter> hyperparameters, BindContext context)
    {
        if (context.SearcherName != "grid")
            return;
        var path = $"{context.Root}.hyperparameters";
        if (CountLeaves(hyperparameters) == 0)
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

    private static int CountLeaves(ImmutableSortedDictionary<string, Hyperparameter> map) =>
        map.Values.Sum(h => h is NestedHyperparameter nested ? CountLeaves(nested.Children) : 1);
}

using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Determinant.Config;

namespace Determinant.Searchers.Sampling;

/// <summary>
/// PBT's explore step (REFERENCE.md §3.7): per hyperparameter in sorted order, resample it or perturb it up or down.
/// </summary>
/// <remarks>
/// Decision: a nested dictionary is explored leaf by leaf in sorted order (Det 0.17 had no nesting), so each leaf
/// behaves as a top-level hyperparameter of its type would.
/// </remarks>
internal static class PbtExplorer
{
    public static JsonObject Explore(
        ImmutableSortedDictionary<string, Hyperparameter> space, JsonObject parent, double resampleProbability, double perturbFactor, MersenneTwister rng)
    {
        var child = new JsonObject();
        foreach (var (name, hp) in space)
            child[name] = ExploreOne(name, hp, parent[name], resampleProbability, perturbFactor, rng);
        return child;
    }

    private static JsonNode? ExploreOne(string name, Hyperparameter hp, JsonNode? current, double resample, double perturb, MersenneTwister rng)
    {
        if (hp is NestedHyperparameter nested)
            return Explore(nested.Children, current as JsonObject ?? [], resample, perturb, rng);
        var u = rng.NextUnitInterval();
        if (hp is ConstHyperparameter or CategoricalHyperparameter)
        {
            // Unchanged, but the second draw still happens so that the stream does not depend on the types.
            rng.NextUnitInterval();
            return current?.DeepClone();
        }
        if (u < resample)
            return HyperparameterSampler.SampleOne(hp, rng);
        var increase = rng.NextUnitInterval() >= 0.5;
        var factor = increase ? 1 + perturb : 1 - perturb;
        var value = JsonNumbers.ToDouble(current, name) * factor;
        return hp switch
        {
            IntHyperparameter i => JsonValue.Create((long)Math.Clamp(increase ? Math.Ceiling(value) : Math.Floor(value), i.MinVal, i.MaxVal)),
            DoubleHyperparameter d => JsonValue.Create(Math.Clamp(value, d.MinVal, d.MaxVal)),
            LogHyperparameter l => JsonValue.Create(ClampBetween(value, Math.Pow(l.Base, l.MinVal), Math.Pow(l.Base, l.MaxVal))),
            _ => throw new ArgumentException($"hyperparameter {name}: cannot explore {hp.GetType().Name}", nameof(hp)),
        };
    }

    // A base below 1 makes base^minval the larger end.
    private static double ClampBetween(double value, double a, double b) => Math.Clamp(value, Math.Min(a, b), Math.Max(a, b));
}

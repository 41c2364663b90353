using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Determinant.Config;

namespace Determinant.Searchers.Sampling;

/// <summary>Random draws of hyperparameters in the order and shapes of REFERENCE.md §2.3 and §3.2.</summary>
internal static class HyperparameterSampler
{
    /// <summary>Samples every hyperparameter of an ordinal-sorted space (see <see cref="HyperparameterSpace"/>).</summary>
    public static JsonObject Sample(ImmutableSortedDictionary<string, Hyperparameter> space, MersenneTwister rng)
    {
        var result = new JsonObject();
        foreach (var (name, hp) in space)
            result[name] = SampleOne(hp, rng);
        return result;
    }

    public static JsonNode? SampleOne(Hyperparameter hp, MersenneTwister rng) => hp switch
    {
        ConstHyperparameter c => c.Value?.DeepClone(),
        IntHyperparameter i => JsonValue.Create(SampleInt(i, rng)),
        DoubleHyperparameter d => JsonValue.Create(rng.Uniform(d.MinVal, d.MaxVal)),
        LogHyperparameter l => JsonValue.Create(Math.Pow(l.Base, rng.Uniform(l.MinVal, l.MaxVal))),
        CategoricalHyperparameter c => c.Vals[(int)rng.NextBelow((ulong)c.Vals.Length)]?.DeepClone(),
        NestedHyperparameter n => Sample(n.Children, rng),
        _ => throw new ArgumentException($"unknown hyperparameter kind {hp.GetType().Name}", nameof(hp)),
    };

    private static long SampleInt(IntHyperparameter hp, MersenneTwister rng)
    {
        if (hp.MaxVal < hp.MinVal)
            throw new ArgumentException($"int hyperparameter needs minval <= maxval, got [{hp.MinVal}, {hp.MaxVal}]", nameof(hp));
        // Both ends are included; the width is computed unsigned so a full-range int cannot overflow.
        var width = unchecked((ulong)(hp.MaxVal - hp.MinVal)) + 1;
        return unchecked(hp.MinVal + (long)rng.NextBelow(width));
    }
}

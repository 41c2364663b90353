using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Determinant.Config;

namespace Determinant.Searchers.Sampling;

/// <summary>One axis of a grid: the path of a leaf hyperparameter and the values it takes (REFERENCE.md §2.3).</summary>
internal sealed record GridAxis(ImmutableArray<string> Path, ImmutableArray<JsonNode?> Values)
{
    /// <summary>The values of one leaf hyperparameter.</summary>
    /// <exception cref="ArgumentException">A numeric hyperparameter has no <c>count</c> (or one below 1).</exception>
    public static ImmutableArray<JsonNode?> ValuesOf(Hyperparameter hp, string path) => hp switch
    {
        ConstHyperparameter c => [c.Value],
        CategoricalHyperparameter c => c.Vals,
        IntHyperparameter i => IntValues(i, CountOf(i.Count, path)),
        DoubleHyperparameter d => Spread(d.MinVal, d.MaxVal, CountOf(d.Count, path)).Select(v => (JsonNode?)JsonValue.Create(v)).ToImmutableArray(),
        LogHyperparameter l => Spread(l.MinVal, l.MaxVal, CountOf(l.Count, path)).Select(v => (JsonNode?)JsonValue.Create(Math.Pow(l.Base, v))).ToImmutableArray(),
        _ => throw new ArgumentException($"{path}: {hp.GetType().Name} is not a grid leaf", nameof(hp)),
    };

    /// <summary>How many values <see cref="ValuesOf"/> gives, without making them.</summary>
    /// <exception cref="ArgumentException">A numeric hyperparameter has no <c>count</c> (or one below 1).</exception>
    public static long SizeOf(Hyperparameter hp, string path) => hp switch
    {
        ConstHyperparameter => 1,
        CategoricalHyperparameter c => c.Vals.Length,
        IntHyperparameter i => (long)Math.Min(CountOf(i.Count, path), (double)i.MaxVal - i.MinVal + 1),
        DoubleHyperparameter d => CountOf(d.Count, path),
        LogHyperparameter l => CountOf(l.Count, path),
        _ => throw new ArgumentException($"{path}: {hp.GetType().Name} is not a grid leaf", nameof(hp)),
    };

    /// <summary>Evenly spaced doubles: the midpoint for one value, else both ends and <c>count − 2</c> points between.</summary>
    public static double[] Spread(double min, double max, int count)
    {
        if (count == 1)
            return [(min + max) / 2];
        var values = new double[count];
        for (var i = 0; i < count; i++)
            values[i] = min + (i * (max - min) / (count - 1));
        return values;
    }

    /// <summary>Integer grid points: the count is clamped to the range size, then each point is rounded half away from zero.</summary>
    public static ImmutableArray<JsonNode?> IntValues(IntHyperparameter hp, int count)
    {
        var span = (double)hp.MaxVal - hp.MinVal + 1;
        var clamped = span < count ? (int)span : count;
        // Go's math.Round semantics; Math.Round's default (to even) would turn int[1,4] count 1 into 2 instead of 3.
        return Spread(hp.MinVal, hp.MaxVal, clamped)
            .Select(v => (JsonNode?)JsonValue.Create((long)Math.Round(v, MidpointRounding.AwayFromZero)))
            .ToImmutableArray();
    }

    private static int CountOf(int? count, string path) => count switch
    {
        null => throw new ArgumentException($"{path}: grid search is in use but count was not provided"),
        < 1 => throw new ArgumentException($"{path}: count must be >= 1, got {count}"),
        _ => count.Value,
    };
}

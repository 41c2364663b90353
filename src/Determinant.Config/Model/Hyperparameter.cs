using System.Collections.Immutable;
using System.Text.Json.Nodes;

namespace Determinant.Config;

/// <summary>One entry of the <c>hyperparameters</c> map: a constant, a distribution to sample, or a nested map (REFERENCE.md §2.3).</summary>
public abstract record Hyperparameter;

/// <summary>A constant; also what a bare scalar, list or null becomes.</summary>
/// <param name="Value">The value handed to the trial as it is (null is allowed).</param>
public sealed record ConstHyperparameter(JsonNode? Value) : Hyperparameter
{
    /// <summary>Compares the values by JSON content, not by node identity.</summary>
    public bool Equals(ConstHyperparameter? other) => other is not null && ValueEquality.Json(Value, other.Value);

    /// <inheritdoc/>
    public override int GetHashCode() => ValueEquality.JsonHash(Value);
}

/// <summary>An integer drawn from [<paramref name="MinVal"/>, <paramref name="MaxVal"/>], both ends included.</summary>
/// <param name="MinVal">Lowest value.</param>
/// <param name="MaxVal">Highest value; strictly greater than <paramref name="MinVal"/>.</param>
/// <param name="Count">Number of grid points; required by grid search.</param>
public sealed record IntHyperparameter(long MinVal, long MaxVal, int? Count = null) : Hyperparameter;

/// <summary>A real number drawn uniformly from [<paramref name="MinVal"/>, <paramref name="MaxVal"/>).</summary>
/// <param name="MinVal">Lowest value.</param>
/// <param name="MaxVal">Upper bound; strictly greater than <paramref name="MinVal"/>.</param>
/// <param name="Count">Number of grid points; required by grid search.</param>
public sealed record DoubleHyperparameter(double MinVal, double MaxVal, int? Count = null) : Hyperparameter;

/// <summary><c>Base^x</c> with the exponent x drawn uniformly from [<paramref name="MinVal"/>, <paramref name="MaxVal"/>).</summary>
/// <param name="MinVal">Lowest exponent.</param>
/// <param name="MaxVal">Upper exponent bound; strictly greater than <paramref name="MinVal"/>.</param>
/// <param name="Base">The base, greater than zero.</param>
/// <param name="Count">Number of grid points; required by grid search.</param>
public sealed record LogHyperparameter(double MinVal, double MaxVal, double Base, int? Count = null) : Hyperparameter;

/// <summary>One of a fixed list of values, chosen with equal probability.</summary>
/// <param name="Vals">The choices, in the given order (grid search uses this order); never empty.</param>
public sealed record CategoricalHyperparameter(ImmutableArray<JsonNode?> Vals) : Hyperparameter
{
    /// <summary>Compares the choices in order, by JSON content.</summary>
    public bool Equals(CategoricalHyperparameter? other) => other is not null && ValueEquality.JsonSequence(Vals, other.Vals);

    /// <inheritdoc/>
    public override int GetHashCode() => Vals.IsDefault ? 0 : Vals.Length;
}

/// <summary>A map of hyperparameters, to any depth; sampled child by child in sorted name order.</summary>
/// <param name="Children">The children, keyed and sorted by name (ordinal).</param>
public sealed record NestedHyperparameter(ImmutableSortedDictionary<string, Hyperparameter> Children) : Hyperparameter
{
    /// <summary>Compares the children by name and content.</summary>
    public bool Equals(NestedHyperparameter? other) => other is not null && ValueEquality.Map(Children, other.Children);

    /// <inheritdoc/>
    public override int GetHashCode() => Children.Count;
}

using System.Collections.Immutable;
using Determinant.Config;

namespace Determinant.Searchers.Sampling;

/// <summary>Puts a hyperparameter map, nested maps included, in ordinal name order once, so every draw walks it the same way.</summary>
internal static class HyperparameterSpace
{
    public static ImmutableSortedDictionary<string, Hyperparameter> Ordinal(ImmutableSortedDictionary<string, Hyperparameter> space)
    {
        ArgumentNullException.ThrowIfNull(space);
        var builder = ImmutableSortedDictionary.CreateBuilder<string, Hyperparameter>(StringComparer.Ordinal);
        foreach (var (name, hp) in space)
            builder[name] = hp is NestedHyperparameter nested ? new NestedHyperparameter(Ordinal(nested.Children)) : hp;
        return builder.ToImmutable();
    }
}

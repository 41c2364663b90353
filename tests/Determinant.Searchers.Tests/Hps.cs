using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Determinant.Config;

namespace Determinant.Searchers.Tests;

/// <summary>Builds hyperparameter maps for tests without going through the YAML loader.</summary>
internal static class Hps
{
    public static ImmutableSortedDictionary<string, Hyperparameter> Empty { get; } =
        ImmutableSortedDictionary.Create<string, Hyperparameter>(StringComparer.Ordinal);

    public static ImmutableSortedDictionary<string, Hyperparameter> Of(params (string Name, Hyperparameter Hp)[] entries) =>
        entries.ToImmutableSortedDictionary(e => e.Name, e => e.Hp, StringComparer.Ordinal);

    public static ConstHyperparameter Const(JsonNode? value) => new(value);

    public static IntHyperparameter Int(long min, long max, int? count = null) => new(min, max, count);

    public static DoubleHyperparameter Double(double min, double max, int? count = null) => new(min, max, count);

    public static LogHyperparameter Log(double min, double max, double @base, int? count = null) => new(min, max, @base, count);

    public static CategoricalHyperparameter Categorical(params JsonNode?[] values) => new([.. values]);

    public static NestedHyperparameter Nested(params (string Name, Hyperparameter Hp)[] entries) => new(Of(entries));

    /// <summary>The hyperparameters of the §3.2 Create vector.</summary>
    public static ImmutableSortedDictionary<string, Hyperparameter> CreateVector { get; } = Of(
        ("global_batch_size", Const(32)),
        ("layers", Int(1, 8)),
        ("lr", Log(-4, -1, 10)),
        ("opt", Categorical("sgd", "adam")));
}

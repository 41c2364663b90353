using System.Collections.Immutable;
using System.Numerics;
using Determinant.Config.Binding;

namespace Determinant.Config.Checks;

/// <summary>
/// Bounds what a searcher may ask the master to hold: trials (<c>max_trials</c>, <c>population_size</c>, grid points)
/// and ASHA rungs. The grid's size is computed from the axes; a grid of 10^8 points is never enumerated.
/// </summary>
internal static class TrialLimitChecks
{
    public static void Run(SearcherConfig? searcher, ImmutableSortedDictionary<string, Hyperparameter> hyperparameters, string path, BindContext context)
    {
        if (context.MaxTrials is not var (limit, setting))
            return;
        var diagnostics = context.Diagnostics;
        var over = $"over the limit of {limit} trials per experiment ({setting})";
        void Trials(string key, int value)
        {
            if (value > limit)
                diagnostics.Error($"{path}.{key}", $"{value} is {over}");
        }
        switch (searcher)
        {
            case RandomSearcherConfig r:
                Trials("max_trials", r.MaxTrials);
                break;
            case AdaptiveAshaSearcherConfig a:
                Trials("max_trials", a.MaxTrials);
                Rungs(a.BracketRungs, $"{path}.bracket_rungs", diagnostics);
                break;
            case AsyncHalvingSearcherConfig h:
                Trials("max_trials", h.MaxTrials);
                if (h.NumRungs > ConfigLimits.MaxRungs)
                    diagnostics.Error($"{path}.num_rungs", $"{h.NumRungs} is over the limit of {ConfigLimits.MaxRungs} rungs (ConfigLimits.MaxRungs)");
                break;
            case PbtSearcherConfig p:
                Trials("population_size", p.PopulationSize);
                break;
        }
        if (context.SearcherName == "grid" && GridSize(hyperparameters) is var points && points > limit)
            diagnostics.Error($"{context.Root}.hyperparameters", $"the grid has {points} points, {over}; lower the counts or split the search");
    }

    private static void Rungs(ImmutableArray<int> rungs, string path, ConfigDiagnostics diagnostics)
    {
        if (rungs.IsDefault)
            return;
        if (rungs.Length > ConfigLimits.MaxRungs)
            diagnostics.Error(path, $"{rungs.Length} brackets are over the limit of {ConfigLimits.MaxRungs} (ConfigLimits.MaxRungs)");
        for (var i = 0; i < rungs.Length; i++)
        {
            if (rungs[i] > ConfigLimits.MaxRungs)
                diagnostics.Error($"{path}[{i}]", $"{rungs[i]} is over the limit of {ConfigLimits.MaxRungs} rungs (ConfigLimits.MaxRungs)");
        }
    }

    /// <summary>
    /// The product of the axis sizes (REFERENCE.md §2.3): an int axis has at most maxval − minval + 1 points, a
    /// categorical one a point per value, a constant or an empty nested map one. A range without a count is reported by
    /// <see cref="GridChecks"/> and counts as one here.
    /// </summary>
    internal static BigInteger GridSize(ImmutableSortedDictionary<string, Hyperparameter> space)
    {
        var size = BigInteger.One;
        foreach (var (_, hyperparameter) in space)
        {
            size *= hyperparameter switch
            {
                IntHyperparameter { Count: { } count } i => BigInteger.Min(count, (BigInteger)i.MaxVal - i.MinVal + 1),
                DoubleHyperparameter { Count: { } count } => count,
                LogHyperparameter { Count: { } count } => count,
                CategoricalHyperparameter c => c.Vals.Length,
                NestedHyperparameter n => GridSize(n.Children),
                _ => BigInteger.One,
            };
        }
        return size;
    }
}

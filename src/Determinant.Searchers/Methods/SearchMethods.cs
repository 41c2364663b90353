using System.Collections.Immutable;
using Determinant.Config;
using Determinant.Searchers.Sampling;

namespace Determinant.Searchers.Methods;

/// <summary>Builds the method a searcher config names, checking what the config loader may not have.</summary>
internal static class SearchMethods
{
    /// <exception cref="ArgumentException">The config is out of range, or grid search lacks a count.</exception>
    public static ISearchMethod Create(SearcherConfig config, ImmutableSortedDictionary<string, Hyperparameter> space)
    {
        switch (config)
        {
            case SingleSearcherConfig s:
                return new RandomSearch("single", 1, 1, s.MaxLength.Units, replaceInvalid: false);
            case RandomSearcherConfig r:
                Require(r.MaxTrials >= 1, "max_trials must be >= 1");
                Require(r.MaxConcurrentTrials >= 0, "max_concurrent_trials must be >= 0");
                return new RandomSearch("random", r.MaxTrials, r.MaxConcurrentTrials, r.MaxLength.Units, replaceInvalid: true);
            case GridSearcherConfig g:
                Require(g.MaxConcurrentTrials >= 0, "max_concurrent_trials must be >= 0");
                return new GridSearch(HyperparameterGrid.Build(space), g.MaxConcurrentTrials, g.MaxLength.Units);
            case AdaptiveAshaSearcherConfig a:
                Require(a.MaxTrials >= 1, "max_trials must be >= 1");
                Require(a.MaxRungs >= 1, "max_rungs must be >= 1");
                Require(a.MaxConcurrentTrials >= 0, "max_concurrent_trials must be >= 0");
                return new AshaSearch(a);
            case AsyncHalvingSearcherConfig h:
                Require(h.MaxTrials >= 1, "max_trials must be >= 1");
                Require(h.NumRungs >= 1, "num_rungs must be >= 1");
                Require(h.MaxConcurrentTrials >= 0, "max_concurrent_trials must be >= 0");
                return new AshaSearch(h);
            case PbtSearcherConfig p:
                Require(p.PopulationSize >= 1, "population_size must be >= 1");
                Require(p.NumRounds >= 1, "num_rounds must be >= 1");
                Require(p.TruncateFraction is >= 0 and <= 0.5, "truncate_fraction must be in [0, 0.5]");
                return new PbtSearch(p);
            default:
                throw new ArgumentException($"unsupported searcher {config.Name}", nameof(config));
        }
    }

    /// <summary>The most units one trial can train: progress reports above it are clamped.</summary>
    public static double UnitCap(SearcherConfig config) => config switch
    {
        SingleSearcherConfig s => s.MaxLength.Units,
        RandomSearcherConfig r => r.MaxLength.Units,
        GridSearcherConfig g => g.MaxLength.Units,
        AdaptiveAshaSearcherConfig a => a.MaxLength.Units,
        AsyncHalvingSearcherConfig h => h.MaxLength.Units,
        PbtSearcherConfig p => (double)p.LengthPerRound.Units * p.NumRounds,
        _ => double.MaxValue,
    };

    private static void Require(bool condition, string message)
    {
        if (!condition)
            throw new ArgumentException($"searcher: {message}");
    }
}

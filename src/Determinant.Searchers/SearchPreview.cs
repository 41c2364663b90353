using System.Collections.Immutable;
using Determinant.Config;
using Determinant.Searchers.Methods;
using Determinant.Searchers.Preview;
using Determinant.Searchers.Sampling;

namespace Determinant.Searchers;

/// <summary>A deterministic preview of a search (REFERENCE.md §3.9): the same config always gives the same plan.</summary>
public static class SearchPreview
{
    /// <summary>Previews a search that has no hyperparameters to expand (anything but grid).</summary>
    public static SearchPlan Run(SearcherConfig searcher) => Run(searcher, ImmutableSortedDictionary<string, Hyperparameter>.Empty);

    /// <summary>Previews <paramref name="searcher"/> over <paramref name="hyperparameters"/>.</summary>
    /// <exception cref="ArgumentException">The config is out of range, or grid search lacks a count.</exception>
    public static SearchPlan Run(SearcherConfig searcher, ImmutableSortedDictionary<string, Hyperparameter> hyperparameters)
    {
        ArgumentNullException.ThrowIfNull(searcher);
        ArgumentNullException.ThrowIfNull(hyperparameters);
        return searcher switch
        {
            SingleSearcherConfig s => Flat(s.MaxLength, 1),
            RandomSearcherConfig r => Flat(r.MaxLength, r.MaxTrials),
            GridSearcherConfig g => Flat(g.MaxLength, HyperparameterGrid.Build(hyperparameters).Count),
            AdaptiveAshaSearcherConfig a => Asha(a, a.MaxLength, a.Divisor),
            AsyncHalvingSearcherConfig h => Asha(h, h.MaxLength, h.Divisor),
            PbtSearcherConfig p => PbtPreview.Plan(p),
            _ => throw new ArgumentException($"unsupported searcher {searcher.Name}", nameof(searcher)),
        };
    }

    private static SearchPlan Flat(Length length, int trials) => new(length.Unit, [new SearchPlanGroup(trials, [length.Units])]);

    /// <summary>
    /// Per bracket, starting with n = t_b at rung 0: <c>max(⌊n/d⌋, 1)</c> continue and the rest stop; at the top rung
    /// all stop. A trial stopping at rung i was given targets 0..i.
    /// </summary>
    private static SearchPlan Asha(SearcherConfig config, Length maxLength, double divisor)
    {
        var groups = new List<SearchPlanGroup>();
        foreach (var bracket in AshaMath.Plan(config))
        {
            var targets = AshaMath.RungTargets(maxLength.Units, divisor, bracket.Rungs);
            var n = bracket.Trials;
            for (var rung = 0; rung < targets.Length && n > 0; rung++)
            {
                var continued = rung == targets.Length - 1 ? 0 : Math.Min(Math.Max((int)Math.Floor(n / divisor), 1), n);
                groups.Add(new SearchPlanGroup(n - continued, targets[..(rung + 1)]));
                n = continued;
            }
        }
        return new SearchPlan(maxLength.Unit, groups);
    }
}

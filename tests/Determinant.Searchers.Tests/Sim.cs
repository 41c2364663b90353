using System.Collections.Immutable;
using Determinant.Config;
using Determinant.Searchers.Simulation;

namespace Determinant.Searchers.Tests;

/// <summary>Shorthands for running a search through <see cref="SearchSimulation"/>.</summary>
internal static class Sim
{
    public static SearchSimulation Run(
        SearcherConfig config,
        Func<SimulatedTrial, ulong, double> metric,
        Func<SimulatedTrial, ulong, ExitedReason?>? exit = null,
        ImmutableSortedDictionary<string, Hyperparameter>? hps = null,
        uint seed = 42,
        bool recordLog = false,
        Func<Searcher, Searcher>? afterEvent = null) =>
        new SearchSimulation(Searcher.Create(config, hps ?? Hps.Empty, seed), metric, exit)
        {
            RecordLog = recordLog,
            RecordProgress = true,
            AfterEvent = afterEvent,
        }.Run();

    /// <summary>The ValidateAfter lengths of each trial, in creation order.</summary>
    public static List<ulong[]> Lengths(this SearchSimulation sim) => sim.Trials.Select(t => t.Lengths.ToArray()).ToList();

    /// <summary>A metric that depends only on the trial's creation number (1-based), the same at every rung.</summary>
    public static Func<SimulatedTrial, ulong, double> ByNumber(Func<int, double> metric) => (trial, _) => metric(trial.Number);
}

using System.Collections.Immutable;
using Determinant.Config;
using Determinant.Searchers.Sampling;
using Determinant.Searchers.Simulation;

namespace Determinant.Searchers.Tests;

/// <summary>One seeded search per method, with early exits of every kind mixed in, for whole-run properties.</summary>
internal sealed record Scenario(
    string Name,
    SearcherConfig Config,
    ImmutableSortedDictionary<string, Hyperparameter> Hps,
    Func<SimulatedTrial, ulong, ExitedReason?>? Exit)
{
    public static ImmutableSortedDictionary<string, Hyperparameter> Mixed { get; } = Tests.Hps.Of(
        ("global_batch_size", Tests.Hps.Const(32)),
        ("layers", Tests.Hps.Int(1, 8, 3)),
        ("optimizer", Tests.Hps.Nested(("lr", Tests.Hps.Log(-4, -1, 10, 2)), ("name", Tests.Hps.Categorical("sgd", "adam")))),
        ("dropout", Tests.Hps.Double(0.1, 0.5, 2)));

    public static IReadOnlyList<Scenario> All { get; } =
    [
        new("single", Configs.Single(100), Mixed, null),
        new("random", Configs.Random(8, maxConcurrent: 3), Mixed, ExitBy((2, 1, ExitedReason.InvalidHp), (4, 1, ExitedReason.Errored), (6, 1, ExitedReason.UserRequestedStop))),
        new("grid", Configs.Grid(maxConcurrent: 2), Mixed, ExitBy((3, 1, ExitedReason.InvalidHp), (5, 1, ExitedReason.UserCanceled))),
        new("asha-promotion", Configs.AdaptiveAsha(5000, 20), Mixed, ExitBy((5, 1, ExitedReason.Errored), (7, 1, ExitedReason.InvalidHp), (9, 1, ExitedReason.UserCanceled), (1, 2, ExitedReason.Errored), (2, 2, ExitedReason.InvalidHp))),
        new("asha-stopping", Configs.AdaptiveAsha(5000, 20, stopOnce: true, smallerIsBetter: false), Mixed, ExitBy((3, 1, ExitedReason.InvalidHp), (6, 1, ExitedReason.Errored), (1, 2, ExitedReason.UserCanceled))),
        new("asha-conservative-unlimited", Configs.AdaptiveAsha(1000, 30, AdaptiveMode.Conservative, divisor: 3, maxConcurrent: 0), Mixed, ExitBy((11, 1, ExitedReason.Errored), (2, 2, ExitedReason.Errored))),
        new("async-halving", Configs.AsyncHalving(3, 12, 9000, divisor: 3, maxConcurrent: 4), Mixed, ExitBy((2, 1, ExitedReason.UserRequestedStop), (8, 1, ExitedReason.InvalidHp), (1, 2, ExitedReason.InvalidHp))),
        new("pbt", Configs.Pbt(6, 4, 100, 0.34, resample: 0.3), Mixed, ExitBy((2, 1, ExitedReason.Errored), (3, 2, ExitedReason.InvalidHp))),
    ];

    public static TheoryData<string> Names => new(All.Select(s => s.Name));

    public static Scenario Named(string name) => All.Single(s => s.Name == name);

    /// <summary>Runs the scenario; the same seed gives the same metrics as long as the searcher asks for the same operations.</summary>
    public SearchSimulation Run(Func<Searcher, Searcher>? afterEvent = null, uint seed = 42)
    {
        var metrics = new MersenneTwister(seed + 1000);
        return new SearchSimulation(Searcher.Create(Config, Hps, seed), (_, _) => metrics.NextUnitInterval(), Exit)
        {
            RecordLog = true,
            RecordProgress = true,
            AfterEvent = afterEvent,
        }.Run();
    }

    public override string ToString() => Name;

    // Trial n exits during its op-th operation, if it gets that far.
    private static Func<SimulatedTrial, ulong, ExitedReason?> ExitBy(params (int Number, int Op, ExitedReason Reason)[] exits) =>
        (trial, _) => exits.FirstOrDefault(e => e.Number == trial.Number && e.Op == trial.Lengths.Count) is { Number: > 0 } hit
            ? hit.Reason
            : null;
}

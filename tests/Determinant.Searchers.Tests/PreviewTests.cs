using System.Collections.Immutable;
using Determinant.Config;

namespace Determinant.Searchers.Tests;

public sealed class PreviewTests
{
    private static string Describe(SearchPlan plan) => string.Join(" | ", plan.Groups);

    [Fact]
    public void Preview_IsOneTrialAtMaxLength_WhenSingle()
    {
        var plan = SearchPreview.Run(new SingleSearcherConfig(Length.Epochs(3)) { Metric = "m" }, Hps.Empty);
        Assert.Equal("1 x [3]", Describe(plan));
        Assert.Equal(LengthUnit.Epochs, plan.Unit);
        Assert.Equal(1, plan.TotalTrials);
    }

    [Fact]
    public void Preview_IsMaxTrialsAtMaxLength_WhenRandom()
    {
        var plan = SearchPreview.Run(new RandomSearcherConfig(20, Length.Records(64000), 4) { Metric = "m" }, Hps.Empty);
        Assert.Equal("20 x [64000]", Describe(plan));
        Assert.Equal(LengthUnit.Records, plan.Unit);
    }

    [Fact]
    public void Preview_IsTheGridSize_WhenGrid()
    {
        var space = Hps.Of(
            ("global_batch_size", Hps.Const(64)),
            ("optimizer", Hps.Nested(("name", Hps.Categorical("sgd", "adam")), ("lr", Hps.Double(0.2, 0.8, 3)))),
            ("layers", Hps.Int(1, 4, 2)));
        var plan = SearchPreview.Run(Configs.Grid(500), space);
        Assert.Equal("12 x [500]", Describe(plan));
        Assert.Equal(LengthUnit.Batches, plan.Unit);
        Assert.Equal(0, SearchPreview.Run(Configs.Grid(500), Hps.Empty).TotalTrials);
    }

    [Fact]
    public void Preview_MatchesTheConstantMetricRun_WhenAsyncHalving()
    {
        var config = Configs.AsyncHalving(3, 12, 9000, divisor: 3);
        var plan = SearchPreview.Run(config);
        Assert.Equal("8 x [1000] | 3 x [1000, 3000] | 1 x [1000, 3000, 9000]", Describe(plan));
        var sim = Sim.Run(config, (_, _) => 0.5);
        var simulated = sim.Trials.GroupBy(t => string.Join(", ", t.Lengths)).Select(g => $"{g.Count()} x [{g.Key}]").Order(StringComparer.Ordinal);
        Assert.Equal(Describe(plan).Split(" | ").Order(StringComparer.Ordinal), simulated);
    }

    [Fact]
    public void Preview_UsesOneBracketWithEveryTrial_WhenAggressiveUnlimited()
    {
        var config = Configs.AdaptiveAsha(1000, 64, AdaptiveMode.Aggressive, maxConcurrent: 0, stopOnce: true);
        Assert.Equal([new Methods.AshaBracketPlan(4, 64, 64)], Methods.AshaMath.Plan(config));
        Assert.Equal(64, Searcher.Create(config, Hps.Empty, 1).InitialOperations().Count);
        Assert.Equal("48 x [15] | 12 x [15, 62] | 3 x [15, 62, 250] | 1 x [15, 62, 250, 1000]", Describe(SearchPreview.Run(config)));
    }

    [Fact]
    public void Preview_OrdersGroupsLexicographically_WhenSeveralBrackets()
    {
        var plan = SearchPreview.Run(Configs.AdaptiveAsha(5000, 16));
        Assert.Equal("9 x [312] | 2 x [312, 1250] | 1 x [312, 1250, 5000] | 3 x [1250] | 1 x [1250, 5000]", Describe(plan));
        Assert.Equal(16, plan.TotalTrials);
    }

    [Fact]
    public void Preview_TruncatesTheOldestFirst_WhenPbt()
    {
        var plan = SearchPreview.Run(Configs.Pbt(population: 4, rounds: 3, lengthPerRound: 100, truncate: 0.5));
        // Round 1 closes two originals (1 round), round 2 the other two (2 rounds); at the end the round-1 children
        // have trained 2 rounds and the round-2 children 1.
        Assert.Equal("4 x [100] | 4 x [100, 200]", Describe(plan));
        Assert.Equal(8, plan.TotalTrials);
        Assert.Equal(new Dictionary<ulong, int> { [100] = 4, [200] = 4 }, plan.TrialsByLength);
    }

    [Fact]
    public void Preview_KeepsThePopulationForEveryRound_WhenNothingIsTruncated()
    {
        var plan = SearchPreview.Run(Configs.Pbt(population: 10, rounds: 5, lengthPerRound: 1000, truncate: 0.0));
        Assert.Equal("10 x [1000, 2000, 3000, 4000, 5000]", Describe(plan));
        Assert.Equal(18, SearchPreview.Run(Configs.Pbt(population: 10, rounds: 5, lengthPerRound: 1000, truncate: 0.2)).TotalTrials);
    }

    [Fact]
    public void Preview_IsTheSame_WhenRunTwice()
    {
        var config = Configs.AdaptiveAsha(10000, 1000);
        Assert.Equal(SearchPreview.Run(config).Groups, SearchPreview.Run(config, ImmutableSortedDictionary<string, Hyperparameter>.Empty).Groups);
    }
}

using System.Text.Json.Nodes;
using Determinant.Searchers.Sampling;

namespace Determinant.Searchers.Tests;

public sealed class PbtTests
{
    private static readonly System.Collections.Immutable.ImmutableSortedDictionary<string, Config.Hyperparameter> Space =
        Hps.Of(("lr", Hps.Log(-4, -1, 10)), ("n", Hps.Int(1, 64)));

    [Fact]
    public void Round_ClosesTheWorstAndClonesTheBest_WhenTheReferenceExample()
    {
        var searcher = Searcher.Create(Configs.Pbt(population: 4, rounds: 3, lengthPerRound: 100, truncate: 0.5), Space, 11);
        var t = searcher.InitialOperations().Cast<CreateTrial>().Select(c => c.RequestId).ToArray();
        Assert.Equal(4, t.Length);
        foreach (var id in t)
            Assert.Equal<SearcherOperation>([new ValidateAfter(id, 100)], searcher.TrialCreated(id));
        double[] metrics = [0.4, 0.1, 0.3, 0.2];
        for (var i = 0; i < 3; i++)
            Assert.Empty(searcher.ValidationCompleted(t[i], metrics[i], new ValidateAfter(t[i], 100)));
        var ops = searcher.ValidationCompleted(t[3], metrics[3], new ValidateAfter(t[3], 100));

        Assert.Equal([t[2], t[0]], ops.OfType<CloseTrial>().Select(c => c.RequestId));
        var children = ops.OfType<CreateTrial>().ToArray();
        Assert.Equal([t[1], t[3]], children.Select(c => c.ParentRequestId!.Value));
        Assert.Equal([new ValidateAfter(t[1], 200), new ValidateAfter(t[3], 200)], ops.OfType<ValidateAfter>());
        foreach (var child in children)
            Assert.Equal<SearcherOperation>([new ValidateAfter(child.RequestId, 100)], searcher.TrialCreated(child.RequestId));
    }

    [Theory]
    [InlineData(4, 0.5, 3, 8)]
    [InlineData(10, 0.2, 5, 18)]
    [InlineData(5, 0.0, 4, 5)]
    public void Search_CreatesPopulationPlusKPerRound_WhenRunToTheEnd(int population, double truncate, int rounds, int expected)
    {
        var rng = new MersenneTwister(5);
        var sim = Sim.Run(Configs.Pbt(population, rounds, 100, truncate, resample: 0.2), (_, _) => rng.NextUnitInterval(), hps: Space);
        Assert.Equal(expected, sim.Trials.Count);
        Assert.Equal(expected, SearchPreview.Run(Configs.Pbt(population, rounds, 100, truncate)).TotalTrials);
        Assert.Single(sim.Shutdowns);
        Assert.Equal(1.0, sim.ProgressHistory[^1]);
        Assert.All(sim.Trials.Where(t => t.Create.ParentRequestId is not null), t => Assert.Equal(100UL, t.Lengths[0]));
    }

    [Fact]
    public void Round_StillCompletes_WhenAMemberExitsEarly()
    {
        var sim = Sim.Run(Configs.Pbt(4, 3, 100, 0.5), Sim.ByNumber(n => n), (t, _) => t.Number == 1 ? ExitedReason.Errored : null, Space);
        // Trial 1 is never cloned; it ranks worst in round 1 and leaves the population.
        Assert.DoesNotContain(sim.Trials, t => t.Create.ParentRequestId == sim.Trials[0].Id);
        Assert.Equal(8, sim.Trials.Count);
        Assert.Single(sim.Shutdowns);
    }

    private static MersenneTwister SeedWhere(Func<double, double, bool> draws)
    {
        for (uint seed = 0; ; seed++)
        {
            var probe = new MersenneTwister(seed);
            if (draws(probe.NextUnitInterval(), probe.NextUnitInterval()))
                return new MersenneTwister(seed);
        }
    }

    private static JsonNode? ExploreOne(Config.Hyperparameter hp, JsonNode value, bool increase) =>
        PbtExplorer.Explore(Hps.Of(("x", hp)), new JsonObject { ["x"] = value }, 0, 0.2, SeedWhere((_, v) => v >= 0.5 == increase))["x"];

    [Fact]
    public void Explore_CeilsUpAndFloorsDown_WhenInt()
    {
        Assert.Equal(4, ExploreOne(Hps.Int(1, 10), 3, increase: true)!.GetValue<long>());
        Assert.Equal(2, ExploreOne(Hps.Int(1, 10), 3, increase: false)!.GetValue<long>());
    }

    [Fact]
    public void Explore_ClampsToMaxval_WhenIntIncreasedPastIt()
    {
        Assert.Equal(8, ExploreOne(Hps.Int(1, 8), 8, increase: true)!.GetValue<long>());
    }

    [Fact]
    public void Explore_ScalesAndClamps_WhenDoubleOrLog()
    {
        Assert.Equal(0.008, ExploreOne(Hps.Double(0.001, 0.1), 0.01, increase: false)!.GetValue<double>(), 1e-15);
        Assert.Equal(0.1, ExploreOne(Hps.Log(-4, -1, 10), 0.1, increase: true)!.GetValue<double>(), 1e-15);
        Assert.Equal(0.012, ExploreOne(Hps.Log(-4, -1, 10), 0.01, increase: true)!.GetValue<double>(), 1e-15);
    }

    [Fact]
    public void Explore_KeepsConstAndCategoricalButDrawsTwice_WhenExplored()
    {
        var rng = new MersenneTwister(1);
        var reference = new MersenneTwister(1);
        var child = PbtExplorer.Explore(
            Hps.Of(("c", Hps.Categorical("a", "b")), ("k", Hps.Const(7))), new JsonObject { ["c"] = "b", ["k"] = 7 }, 1.0, 0.2, rng);
        Assert.Equal("{\"c\":\"b\",\"k\":7}", child.ToJsonString());
        for (var i = 0; i < 8; i++)
            reference.NextUInt32();
        Assert.Equal(reference.NextUInt32(), rng.NextUInt32());
    }

    [Fact]
    public void Explore_Resamples_WhenTheFirstDrawIsBelowTheProbability()
    {
        var child = PbtExplorer.Explore(Hps.Of(("n", Hps.Int(100, 200))), new JsonObject { ["n"] = 3 }, 1.0, 0.2, new MersenneTwister(4));
        Assert.InRange(child["n"]!.GetValue<long>(), 100, 200);
    }
}

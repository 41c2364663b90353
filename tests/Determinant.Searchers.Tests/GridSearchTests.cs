namespace Determinant.Searchers.Tests;

public sealed class GridSearchTests
{
    private static readonly System.Collections.Immutable.ImmutableSortedDictionary<string, Config.Hyperparameter> OrderSpace =
        Hps.Of(("a", Hps.Double(0, 1, 2)), ("b", Hps.Categorical("x", "y")));

    [Fact]
    public void Grid_TakesPointsFromTheEnd_WhenMaxConcurrentIsTwo()
    {
        var sim = Sim.Run(Configs.Grid(maxConcurrent: 2), (_, _) => 1, hps: OrderSpace);
        var points = sim.Trials.Select(t => t.Create.Hparams.ToJsonString()).ToArray();
        Assert.Equal(["{\"a\":1,\"b\":\"y\"}", "{\"a\":1,\"b\":\"x\"}", "{\"a\":0,\"b\":\"y\"}", "{\"a\":0,\"b\":\"x\"}"], points);
        Assert.All(sim.Trials, t => Assert.Equal([100UL], t.Lengths));
        Assert.Single(sim.Shutdowns);
    }

    [Fact]
    public void Grid_StartsEveryPoint_WhenNoConcurrencyLimit()
    {
        var searcher = Searcher.Create(Configs.Grid(maxConcurrent: 0), OrderSpace, 1);
        Assert.Equal(4, searcher.InitialOperations().Count);
        Assert.Equal(2, Searcher.Create(Configs.Grid(maxConcurrent: 2), OrderSpace, 1).InitialOperations().Count);
    }

    [Fact]
    public void Grid_DoesNotReplaceInvalidPoints_WhenInvalidHp()
    {
        var sim = Sim.Run(Configs.Grid(maxConcurrent: 2), (_, _) => 1, (t, _) => t.Number == 1 ? ExitedReason.InvalidHp : null, OrderSpace);
        Assert.Equal(4, sim.Trials.Count);
        Assert.Equal([new Shutdown()], sim.Shutdowns);
        Assert.Equal(1.0, sim.ProgressHistory[^1]);
    }

    [Fact]
    public void Grid_ShutsDownAtOnce_WhenThereAreNoHyperparameters()
    {
        var searcher = Searcher.Create(Configs.Grid(), Hps.Empty, 1);
        Assert.Equal<SearcherOperation>([new Shutdown()], searcher.InitialOperations());
        Assert.Equal(1.0, searcher.Progress);
    }

    [Fact]
    public void Grid_Throws_WhenACountIsMissing()
    {
        Assert.Throws<ArgumentException>(() => Searcher.Create(Configs.Grid(), Hps.Of(("lr", Hps.Double(0.1, 1))), 1));
    }

    [Fact]
    public void Grid_Throws_BeforeMakingItsValues_WhenThePointsOverflowInt32()
    {
        // 10^7 x 1000 points: the size comes from the counts, so the ten million values of the first axis are never made.
        var space = Hps.Of(("a", Hps.Double(0, 1, 10_000_000)), ("b", Hps.Int(0, 999, 1000)));
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();

        var error = Assert.Throws<ArgumentException>(() => Searcher.Create(Configs.Grid(), space, 1));

        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        Assert.Contains($"more than {int.MaxValue} points", error.Message, StringComparison.Ordinal);
        Assert.True(allocated < 16L << 20, $"refusing the grid allocated {allocated >> 20} MiB");
    }
}

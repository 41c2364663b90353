namespace Determinant.Searchers.Tests;

/// <summary>The §3.6 6-trial / 5000 step-by-step example: bracket A is trials 1–4, bracket B trials 5–6.</summary>
public sealed class AshaWalkthroughTests
{
    // A1 0.30, A2 0.20, A3 0.40, A4 0.25; bracket B's results do not matter.
    private static readonly double[] Metrics = [0.30, 0.20, 0.40, 0.25, 0.5, 0.5];

    [Fact]
    public void PromotionMode_PromotesA2AndClosesTheRest_WhenA4Arrives()
    {
        var sim = Sim.Run(Configs.AdaptiveAsha(5000, 6), Sim.ByNumber(n => Metrics[n - 1]));
        var lengths = sim.Lengths();
        Assert.Equal([1250UL], lengths[0]);
        Assert.Equal([1250UL, 5000], lengths[1]);
        Assert.Equal([1250UL], lengths[2]);
        Assert.Equal([1250UL], lengths[3]);
        Assert.Equal([5000UL], lengths[4]);
        Assert.Equal([5000UL], lengths[5]);
        Assert.Equal(6, sim.Trials.Count);
        Assert.Single(sim.Shutdowns);
    }

    [Fact]
    public void PromotionMode_ResumesA2AndClosesA1A3A4_InTheSameStepAsA4()
    {
        var searcher = Searcher.Create(Configs.AdaptiveAsha(5000, 6), Hps.Empty, 7);
        var ids = searcher.InitialOperations().Cast<CreateTrial>().Select(c => c.RequestId).ToArray();
        var ops = ids.ToDictionary(id => id, id => (ValidateAfter)searcher.TrialCreated(id)[0]);
        for (var i = 0; i < 3; i++)
            Assert.Empty(searcher.ValidationCompleted(ids[i], Metrics[i], ops[ids[i]]));
        var result = searcher.ValidationCompleted(ids[3], Metrics[3], ops[ids[3]]);
        // The close-out walks rung 0 best first: A4 (0.25), A1 (0.30), A3 (0.40).
        Assert.Equal<SearcherOperation>(
            [new ValidateAfter(ids[1], 5000), new CloseTrial(ids[3]), new CloseTrial(ids[0]), new CloseTrial(ids[2])],
            result);
    }

    [Fact]
    public void StoppingMode_ContinuesA1AndA2AndStopsA3A4_WhenEachMustBeBestSoFar()
    {
        var sim = Sim.Run(Configs.AdaptiveAsha(5000, 6, stopOnce: true), Sim.ByNumber(n => Metrics[n - 1]));
        var lengths = sim.Lengths();
        Assert.Equal([1250UL, 5000], lengths[0]);
        Assert.Equal([1250UL, 5000], lengths[1]);
        Assert.Equal([1250UL], lengths[2]);
        Assert.Equal([1250UL], lengths[3]);
        Assert.Equal([5000UL], lengths[4]);
        Assert.Equal([5000UL], lengths[5]);
        Assert.Equal(2, lengths.Count(l => l[^1] == 1250));
        Assert.Equal(4, lengths.Count(l => l[^1] == 5000));
    }
}

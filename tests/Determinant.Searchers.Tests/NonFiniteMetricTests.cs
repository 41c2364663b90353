namespace Determinant.Searchers.Tests;

/// <summary>A NaN searcher metric (a diverged loss, which the master keeps) ranks below every finite one, whichever way is better.</summary>
public sealed class NonFiniteMetricTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Asha_PromotesTheFiniteResult_OverNaNsThatArrivedAroundIt(bool smallerIsBetter)
    {
        // Two rungs, d = 3: the third result at rung 0 promotes the best of the three.
        double[] metrics = [double.NaN, 0.5, double.NaN];
        var sim = Sim.Run(Configs.AsyncHalving(2, 3, 9000, divisor: 3, smallerIsBetter: smallerIsBetter), Sim.ByNumber(n => metrics[n - 1]));

        Assert.Equal([[3000], [3000, 9000], [3000]], sim.Lengths());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Pbt_ClosesTheNaNTrial_AndClonesTheFiniteOne(bool smallerIsBetter)
    {
        var searcher = Searcher.Create(Configs.Pbt(population: 2, rounds: 2, lengthPerRound: 100, truncate: 0.5, smallerIsBetter: smallerIsBetter),
            Hps.Of(("lr", Hps.Double(0.1, 1))), 3);
        var t = searcher.InitialOperations().Cast<CreateTrial>().Select(c => c.RequestId).ToArray();
        foreach (var id in t)
            searcher.TrialCreated(id);

        Assert.Empty(searcher.ValidationCompleted(t[0], double.NaN, new ValidateAfter(t[0], 100)));
        var ops = searcher.ValidationCompleted(t[1], 0.3, new ValidateAfter(t[1], 100));

        Assert.Equal([t[0]], ops.OfType<CloseTrial>().Select(c => c.RequestId));
        Assert.Equal([t[1]], ops.OfType<CreateTrial>().Select(c => c.ParentRequestId!.Value));
    }
}

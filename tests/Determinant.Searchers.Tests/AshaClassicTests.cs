namespace Determinant.Searchers.Tests;

/// <summary>The classic §3.5 vectors: R = 3, d = 3, T = 12, L = 9000 batches, all 12 trials created up front, FIFO events.</summary>
public sealed class AshaClassicTests
{
    private static readonly ulong[] ToRung0 = [1000];
    private static readonly ulong[] ToRung1 = [1000, 3000];
    private static readonly ulong[] ToTop = [1000, 3000, 9000];

    private static List<ulong[]> Run(
        Func<int, double> metric, bool stopOnce = false, bool smallerIsBetter = true, int mct = 16, Func<int, ExitedReason?>? exit = null, int rungs = 3, int trials = 12) =>
        Sim.Run(
            Configs.AsyncHalving(rungs, trials, 9000, divisor: 3, maxConcurrent: mct, stopOnce: stopOnce, smallerIsBetter: smallerIsBetter),
            Sim.ByNumber(metric),
            exit is null ? null : (t, length) => length == 1000 ? exit(t.Number) : null).Lengths();

    private static void AssertTrials(List<ulong[]> lengths, ulong[] expected, params int[] numbers)
    {
        foreach (var n in numbers)
            Assert.True(expected.SequenceEqual(lengths[n - 1]), $"trial {n}: expected [{string.Join(", ", expected)}], got [{string.Join(", ", lengths[n - 1])}]");
    }

    [Fact]
    public void Promotion_PromotesTheTopThird_WhenMetricsRiseByCreationOrder()
    {
        var lengths = Run(n => 0.01 * n);
        Assert.Equal(12, lengths.Count);
        AssertTrials(lengths, ToTop, 1);
        AssertTrials(lengths, ToRung1, 2, 3, 4);
        AssertTrials(lengths, ToRung0, 5, 6, 7, 8, 9, 10, 11, 12);
    }

    [Fact]
    public void Promotion_GivesTheSameResult_WhenLargerIsBetterAndMetricsFall()
    {
        var lengths = Run(n => 0.01 * (13 - n), smallerIsBetter: false);
        AssertTrials(lengths, ToTop, 1);
        AssertTrials(lengths, ToRung1, 2, 3, 4);
        AssertTrials(lengths, ToRung0, 5, 6, 7, 8, 9, 10, 11, 12);
    }

    [Fact]
    public void Promotion_PromotesAsynchronously_WhenTrial3ExitsEarlyAtRung0()
    {
        double[] metrics = [0.10, 0.11, 0.12, 0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08, 0.09];
        var lengths = Run(n => metrics[n - 1], exit: n => n == 3 ? ExitedReason.Errored : null);
        Assert.Equal(12, lengths.Count);
        AssertTrials(lengths, ToRung1, 1);
        AssertTrials(lengths, ToRung0, 2, 3);
        AssertTrials(lengths, ToTop, 4);
        AssertTrials(lengths, ToRung1, 5, 6, 7);
        AssertTrials(lengths, ToRung0, 8, 9, 10, 11, 12);
    }

    [Fact]
    public void Promotion_PromotesInArrivalOrder_WhenEveryMetricIsEqual()
    {
        var lengths = Run(_ => 0.5);
        Assert.Equal(8, lengths.Count(l => l.SequenceEqual(ToRung0)));
        Assert.Equal(3, lengths.Count(l => l.SequenceEqual(ToRung1)));
        Assert.Equal(1, lengths.Count(l => l.SequenceEqual(ToTop)));
    }

    [Fact]
    public void Promotion_TrainsEveryTrialToTheEnd_WhenOneRung()
    {
        var lengths = Run(n => n, rungs: 1, trials: 4);
        Assert.Equal(4, lengths.Count);
        Assert.All(lengths, l => Assert.Equal([9000UL], l));
    }

    [Theory]
    [InlineData(2, 1.0)]
    [InlineData(16, 0.01)]
    public void Stopping_OnlyTheFirstTrialContinues_WhenMetricsRise(int mct, double scale)
    {
        var lengths = Run(n => scale * n, stopOnce: true, mct: mct);
        Assert.Equal(12, lengths.Count);
        AssertTrials(lengths, ToTop, 1);
        AssertTrials(lengths, ToRung0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
    }

    [Fact]
    public void Stopping_EveryTrialReachesTheTop_WhenMetricsRiseAndLargerIsBetter()
    {
        var lengths = Run(n => n, stopOnce: true, smallerIsBetter: false);
        Assert.Equal(12, lengths.Count);
        Assert.All(lengths, l => Assert.Equal(ToTop, l));
    }

    [Fact]
    public void Stopping_TiesContinue_WhenFourMetricsRepeatAndSmallerIsBetter()
    {
        var lengths = Run(n => 0.01 * (((n - 1) % 4) + 1), stopOnce: true);
        AssertTrials(lengths, ToTop, 1, 5, 9);
        AssertTrials(lengths, ToRung0, 2, 3, 4, 6, 7, 8, 10, 11, 12);
    }

    [Fact]
    public void Stopping_TiesContinue_WhenFourMetricsRepeatAndLargerIsBetter()
    {
        var lengths = Run(n => 0.01 * (((n - 1) % 4) + 1), stopOnce: true, smallerIsBetter: false);
        AssertTrials(lengths, ToTop, 1, 2, 3, 4, 8, 12);
        AssertTrials(lengths, ToRung1, 7, 11);
        AssertTrials(lengths, ToRung0, 5, 6, 9, 10);
    }
}

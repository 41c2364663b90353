using Determinant.Config;
using Determinant.Searchers.Methods;

namespace Determinant.Searchers.Tests;

public sealed class AshaMathTests
{
    [Theory]
    [InlineData(9000UL, 3.0, 3, new ulong[] { 1000, 3000, 9000 })]
    [InlineData(576000UL, 3.0, 3, new ulong[] { 64000, 192000, 576000 })]
    [InlineData(12UL, 3.0, 3, new ulong[] { 1, 4, 12 })]
    [InlineData(5000UL, 4.0, 3, new ulong[] { 312, 1250, 5000 })]
    [InlineData(5000UL, 4.0, 4, new ulong[] { 78, 312, 1250, 5000 })]
    [InlineData(1000UL, 4.0, 4, new ulong[] { 15, 62, 250, 1000 })]
    [InlineData(2UL, 4.0, 3, new ulong[] { 1, 1, 2 })]
    public void RungTargets_FloorAndKeepAtLeastOne_WhenDividingTheMaxLength(ulong maxLength, double divisor, int rungs, ulong[] expected)
    {
        Assert.Equal(expected, AshaMath.RungTargets(maxLength, divisor, rungs));
    }

    [Fact]
    public void RungTargets_AreInTheConfiguredUnit_WhenRecordsOrEpochs()
    {
        var config = new AsyncHalvingSearcherConfig(3, 12, Length.Records(576000), 3) { Metric = "m" };
        var sim = Sim.Run(config, (_, _) => 1);
        Assert.Equal([64000UL, 192000, 576000], sim.Trials.Select(t => t.Lengths).First(l => l.Count == 3));
        Assert.Equal(LengthUnit.Epochs, SearchPreview.Run(new AsyncHalvingSearcherConfig(3, 12, Length.Epochs(12), 3) { Metric = "m" }).Unit);
        Assert.Equal([1UL, 4, 12], SearchPreview.Run(new AsyncHalvingSearcherConfig(3, 12, Length.Epochs(12), 3) { Metric = "m" }).Groups[^1].Lengths);
    }

    [Theory]
    [InlineData(1000UL, 1000000, 10.0, 9, 3)]   // ln 1000 / ln 10 = 2.9999999999999996 → 2, + 1
    [InlineData(243UL, 1000000, 3.0, 9, 5)]     // ln 243 / ln 3 = 4.999999999999999 → 4, + 1
    [InlineData(5000UL, 64, 4.0, 9, 4)]         // ln 64 / ln 4 = 3.0 exactly → 3, + 1
    [InlineData(5000UL, 6, 4.0, 5, 2)]
    [InlineData(5000UL, 100, 4.0, 5, 4)]
    [InlineData(10000UL, 1000, 4.0, 5, 5)]
    [InlineData(0UL, 10, 4.0, 5, 1)]
    public void MaxRungs_FloorsTheDoubleQuotients_WhenComputed(ulong maxLength, int maxTrials, double divisor, int maxRungs, int expected)
    {
        Assert.Equal(expected, AshaMath.MaxRungs(maxLength, maxTrials, divisor, maxRungs));
    }

    [Fact]
    public void MaxRungs_ReproducesTheDoubleEdgeCases_WhenLogsDivide()
    {
        Assert.Equal(2.9999999999999996, Math.Log(1000) / Math.Log(10));
        Assert.Equal(4.999999999999999, Math.Log(243) / Math.Log(3));
        Assert.Equal(3.0, Math.Log(64) / Math.Log(4));
    }

    [Theory]
    [InlineData(20, 3.0, new[] { 3, 2, 1 }, new[] { 12, 5, 3 })]
    [InlineData(50, 3.0, new[] { 4, 3 }, new[] { 35, 15 })]
    [InlineData(50, 4.0, new[] { 3, 2 }, new[] { 37, 13 })]
    [InlineData(100, 4.0, new[] { 4, 3, 2 }, new[] { 70, 22, 8 })]
    public void TrialsPerBracket_SplitsByWeightWithRemainderToTheFirst_WhenGivenRungs(int maxTrials, double divisor, int[] rungs, int[] expected)
    {
        Assert.Equal(expected, AshaMath.TrialsPerBracket(maxTrials, divisor, rungs));
    }

    [Theory]
    [InlineData(0, 3.0, new[] { 9, 3, 1 }, new[] { 3, 3, 3 })]
    [InlineData(11, 3.0, new[] { 9, 3, 1 }, new[] { 4, 4, 3 })]
    [InlineData(0, 4.0, new[] { 40, 10 }, new[] { 10, 10 })]
    [InlineData(2, 4.0, new[] { 7, 3, 1 }, new[] { 1, 1, 1 })]
    public void ConcurrencyPerBracket_SplitsTheLimit_WhenGivenTrials(int maxConcurrent, double divisor, int[] trials, int[] expected)
    {
        Assert.Equal(expected, AshaMath.ConcurrencyPerBracket(maxConcurrent, divisor, trials));
    }

    [Fact]
    public void Plan_GivesTwoBrackets_WhenStandardL100Mct2T10()
    {
        var plan = AshaMath.Plan(Configs.AdaptiveAsha(maxLength: 100, maxTrials: 10, maxConcurrent: 2));
        Assert.Equal([new AshaBracketPlan(2, 7, 1), new AshaBracketPlan(1, 3, 1)], plan);
    }

    [Fact]
    public void Plan_GivesThreeBrackets_WhenConservativeL1000D3Mct5T10()
    {
        var plan = AshaMath.Plan(Configs.AdaptiveAsha(maxLength: 1000, maxTrials: 10, mode: AdaptiveMode.Conservative, divisor: 3, maxConcurrent: 5));
        Assert.Equal([new AshaBracketPlan(3, 7, 2), new AshaBracketPlan(2, 2, 2), new AshaBracketPlan(1, 1, 1)], plan);
    }

    [Fact]
    public void BracketRungs_SortsExplicitRungsDescending_WhenGiven()
    {
        Assert.Equal([4, 2, 1], AshaMath.BracketRungs(Configs.AdaptiveAsha(1000, 10, bracketRungs: [1, 4, 2])));
        Assert.Equal([5], AshaMath.BracketRungs(Configs.AdaptiveAsha(10000, 1000, mode: AdaptiveMode.Aggressive)));
        Assert.Equal([3, 2, 1], AshaMath.BracketRungs(Configs.AdaptiveAsha(5000, 16, mode: AdaptiveMode.Conservative)));
        Assert.Equal([3, 2], AshaMath.BracketRungs(Configs.AdaptiveAsha(5000, 16, bracketRungs: [])));
    }
}

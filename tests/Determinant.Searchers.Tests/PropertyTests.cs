using Determinant.Config;
using Determinant.Searchers.Sampling;
using Determinant.Searchers.Simulation;

namespace Determinant.Searchers.Tests;

/// <summary>Whole-run invariants over many seeded random configs, metrics and early exits.</summary>
public sealed class PropertyTests
{
    private static readonly ExitedReason[] Reasons = Enum.GetValues<ExitedReason>();

    private static SearcherConfig RandomConfig(MersenneTwister rng)
    {
        var smaller = rng.NextBelow(2) == 0;
        var maxLength = 1 + rng.NextBelow(20000);
        var trials = 1 + (int)rng.NextBelow(60);
        var mct = (int)rng.NextBelow(21);
        double[] divisors = [2, 2.5, 3, 4, 5];
        var divisor = divisors[rng.NextBelow((ulong)divisors.Length)];
        return rng.NextBelow(5) switch
        {
            0 or 1 => Configs.AdaptiveAsha(
                maxLength, trials, (AdaptiveMode)rng.NextBelow(3), divisor, 1 + (int)rng.NextBelow(5), mct, rng.NextBelow(2) == 0, smaller),
            2 => Configs.AsyncHalving(1 + (int)rng.NextBelow(4), trials, maxLength, divisor, mct, rng.NextBelow(2) == 0, smaller),
            3 => Configs.Random(trials, maxLength, (int)rng.NextBelow(6)),
            _ => Configs.Pbt(1 + (int)rng.NextBelow(8), 1 + (int)rng.NextBelow(4), 1 + rng.NextBelow(500), rng.NextUnitInterval() / 2, rng.NextUnitInterval(), rng.NextUnitInterval(), smaller),
        };
    }

    public static TheoryData<uint> Seeds => new(Enumerable.Range(0, 40).Select(i => (uint)i * 5));

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Search_EndsOnceWithEveryTrialClosedAndProgressAtOne_WhenRandomConfigsRun(uint first)
    {
        for (var seed = first; seed < first + 5; seed++)
        {
            var rng = new MersenneTwister(seed);
            var config = RandomConfig(rng);
            var withExits = rng.NextBelow(2) == 0;
            var coarse = rng.NextBelow(2) == 0;
            // Coarse metrics give many ties; exits hit about one operation in twelve.
            Func<SimulatedTrial, ulong, double> metric = coarse ? (_, _) => Math.Round(rng.NextUnitInterval(), 1) : (_, _) => rng.NextUnitInterval();
            Func<SimulatedTrial, ulong, ExitedReason?>? exit = withExits
                ? (_, _) => rng.NextBelow(12) == 0 ? Reasons[rng.NextBelow((ulong)Reasons.Length)] : null
                : null;
            var sim = Sim.Run(config, metric, exit, Scenario.Mixed, seed);
            var context = $"seed {seed}: {config}";

            Assert.True(sim.Shutdowns.Count == 1, $"{context}: {sim.Shutdowns.Count} shutdowns");
            Assert.True(sim.Searcher.IsShutdown, context);
            Assert.True(sim.Trials.All(t => t.Closed), $"{context}: a trial was never closed");
            Assert.Equal(1.0, sim.ProgressHistory[^1]);
            for (var i = 1; i < sim.ProgressHistory.Count; i++)
                Assert.True(sim.ProgressHistory[i] >= sim.ProgressHistory[i - 1], $"{context}: progress fell at event {i}");
            foreach (var trial in sim.Trials)
                Assert.True(trial.Lengths.Zip(trial.Lengths.Skip(1)).All(p => p.First <= p.Second), $"{context}: trial {trial.Number} lengths fell");

            var invalid = sim.Trials.Count(t => t.Exit == ExitedReason.InvalidHp);
            switch (config)
            {
                case AdaptiveAshaSearcherConfig a:
                    Assert.True(sim.Trials.Count - invalid == a.MaxTrials, $"{context}: {sim.Trials.Count} created, {invalid} invalid");
                    Assert.All(sim.Trials, t => Assert.True(t.Lengths.Count == 0 || t.Lengths[^1] <= Math.Max(a.MaxLength.Units, 1)));
                    break;
                case AsyncHalvingSearcherConfig h:
                    Assert.True(sim.Trials.Count - invalid == h.MaxTrials, $"{context}: {sim.Trials.Count} created, {invalid} invalid");
                    break;
                case RandomSearcherConfig r:
                    Assert.True(sim.Trials.Count - invalid == r.MaxTrials, $"{context}: {sim.Trials.Count} created, {invalid} invalid");
                    break;
                case PbtSearcherConfig p when !withExits:
                    var k = Math.Min((int)Math.Floor(p.TruncateFraction * p.PopulationSize), p.PopulationSize / 2);
                    Assert.True(sim.Trials.Count == p.PopulationSize + (k * (p.NumRounds - 1)), $"{context}: {sim.Trials.Count} created");
                    Assert.Equal(sim.Trials.Count, SearchPreview.Run(p).TotalTrials);
                    break;
            }
        }
    }

    [Fact]
    public void Asha_MatchesThePreview_WhenEveryMetricIsEqualAndNothingExits()
    {
        // With equal metrics and FIFO events promotion follows arrival order, so the run reproduces the §3.9 counts.
        var config = Configs.AdaptiveAsha(5000, 6);
        var sim = Sim.Run(config, (_, _) => 1);
        var byLength = sim.Trials.GroupBy(t => t.Lengths[^1]).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(SearchPreview.Run(config).TrialsByLength, byLength.OrderBy(p => p.Key).ToDictionary());
    }
}

using Determinant.Config;

namespace Determinant.Searchers.Methods;

/// <summary>
/// The arithmetic of ASHA brackets (REFERENCE.md §3.5, §3.6), shared by the searcher and the preview. Everything is
/// computed in IEEE doubles exactly as written there, since ports that simplify the logs change trial counts.
/// </summary>
internal static class AshaMath
{
    /// <summary><c>target_i = max(⌊L / d^(R−1−i)⌋, 1)</c>; the top rung is L.</summary>
    public static ulong[] RungTargets(ulong maxLength, double divisor, int rungs)
    {
        var targets = new ulong[rungs];
        for (var i = 0; i < rungs; i++)
            targets[i] = Math.Max((ulong)Math.Floor(maxLength / Math.Pow(divisor, rungs - 1 - i)), 1);
        return targets;
    }

    /// <summary><c>min(max_rungs, ⌊ln L / ln d⌋ + 1, ⌊ln T / ln d⌋ + 1)</c>, and at least 1.</summary>
    public static int MaxRungs(ulong maxLength, int maxTrials, double divisor, int maxRungs)
    {
        var byLength = Math.Floor(Math.Log(maxLength) / Math.Log(divisor)) + 1;
        var byTrials = Math.Floor(Math.Log(maxTrials) / Math.Log(divisor)) + 1;
        return (int)Math.Max(Math.Min(maxRungs, Math.Min(byLength, byTrials)), 1);
    }

    /// <summary>The rung count of each bracket, most aggressive (most rungs) first.</summary>
    public static int[] BracketRungs(AdaptiveAshaSearcherConfig config)
    {
        int[] rungs;
        if (!config.BracketRungs.IsDefaultOrEmpty)
        {
            rungs = [.. config.BracketRungs];
        }
        else
        {
            var max = MaxRungs(config.MaxLength.Units, config.MaxTrials, config.Divisor, config.MaxRungs);
            var first = config.Mode switch
            {
                AdaptiveMode.Aggressive => max,
                AdaptiveMode.Standard => ((max - 1) / 2) + 1,
                _ => 1,
            };
            rungs = Enumerable.Range(first, max - first + 1).ToArray();
        }
        Array.Sort(rungs, (a, b) => b.CompareTo(a));
        return rungs;
    }

    /// <summary>Splits T over brackets by weight <c>d^(r−1)/r</c>, at least one each; the remainder goes to bracket 0.</summary>
    public static int[] TrialsPerBracket(int maxTrials, double divisor, IReadOnlyList<int> rungs)
    {
        var weights = rungs.Select(r => Math.Pow(divisor, r - 1) / r).ToArray();
        var total = weights.Sum();
        var trials = weights.Select(w => Math.Max((int)Math.Floor(w / total * maxTrials), 1)).ToArray();
        trials[0] += Math.Max(maxTrials - trials.Sum(), 0);
        return trials;
    }

    /// <summary>Splits the concurrency limit over brackets; with no limit, each gets <c>max(t_last, ⌊d⌋)</c>.</summary>
    public static int[] ConcurrencyPerBracket(int maxConcurrent, double divisor, IReadOnlyList<int> trials)
    {
        var count = trials.Count;
        if (maxConcurrent == 0)
            return Enumerable.Repeat(Math.Max(trials[^1], (int)Math.Floor(divisor)), count).ToArray();
        var total = Math.Max(maxConcurrent, count);
        return Enumerable.Range(0, count).Select(i => (total / count) + (i < total % count ? 1 : 0)).ToArray();
    }

    /// <summary>The brackets an ASHA-family config runs.</summary>
    /// <exception cref="ArgumentException">The config is not adaptive_asha or async_halving.</exception>
    public static AshaBracketPlan[] Plan(SearcherConfig config)
    {
        switch (config)
        {
            case AsyncHalvingSearcherConfig a:
                return [new AshaBracketPlan(a.NumRungs, a.MaxTrials, a.MaxConcurrentTrials)];
            case AdaptiveAshaSearcherConfig a:
                var rungs = BracketRungs(a);
                var trials = TrialsPerBracket(a.MaxTrials, a.Divisor, rungs);
                var concurrency = ConcurrencyPerBracket(a.MaxConcurrentTrials, a.Divisor, trials);
                return rungs.Select((r, i) => new AshaBracketPlan(r, trials[i], concurrency[i])).ToArray();
            default:
                throw new ArgumentException($"{config.Name} is not an ASHA searcher", nameof(config));
        }
    }
}

using Determinant.Config;
using Determinant.Searchers.Methods;

namespace Determinant.Searchers.Tests;

/// <summary>Every row of the §3.6 worked-example table (standard, d = 4, max_rungs 5, mct 16 unless stated).</summary>
public sealed class WorkedExampleTests
{
    public static TheoryData<int, ulong, AdaptiveMode, int, int, string, string, string, string> Rows => new()
    {
        { 6, 5000, AdaptiveMode.Standard, 16, 2, "2,4,8 1,2,8", "1250,5000 5000", "4 2", "1250:3 5000:3" },
        { 16, 5000, AdaptiveMode.Standard, 16, 3, "3,12,8 2,4,8", "312,1250,5000 1250,5000", "8 4", "312:9 1250:5 5000:2" },
        { 16, 5000, AdaptiveMode.Standard, 0, 3, "3,12,4 2,4,4", "312,1250,5000 1250,5000", "4 4", "312:9 1250:5 5000:2" },
        { 16, 937, AdaptiveMode.Standard, 16, 3, "3,12,8 2,4,8", "58,234,937 234,937", "8 4", "58:9 234:5 937:2" },
        { 100, 5000, AdaptiveMode.Standard, 16, 4, "4,70,6 3,22,5 2,8,5", "78,312,1250,5000 312,1250,5000 1250,5000", "6 5 5", "78:53 312:30 1250:13 5000:4" },
        { 100, 5000, AdaptiveMode.Aggressive, 16, 4, "4,100,16", "78,312,1250,5000", "16", "78:75 312:19 1250:5 5000:1" },
        { 100, 5000, AdaptiveMode.Conservative, 16, 4, "4,67,4 3,21,4 2,8,4 1,4,4", "78,312,1250,5000 312,1250,5000 1250,5000 5000", "4 4 4 4", "78:51 312:28 1250:13 5000:8" },
        { 64, 1000, AdaptiveMode.Standard, 16, 4, "4,45,6 3,14,5 2,5,5", "15,62,250,1000 62,250,1000 250,1000", "6 5 5", "15:34 62:20 250:7 1000:3" },
        { 1000, 10000, AdaptiveMode.Standard, 16, 5, "5,707,6 4,220,5 3,73,5", "39,156,625,2500,10000 156,625,2500,10000 625,2500,10000", "6 5 5", "39:531 156:297 625:130 2500:33 10000:9" },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void Brackets_MatchTheWorkedExample_WhenPlanned(int t, ulong l, AdaptiveMode mode, int mct, int maxRungs, string brackets, string targets, string initial, string preview)
    {
        _ = (targets, initial, preview);
        var config = Configs.AdaptiveAsha(l, t, mode, maxConcurrent: mct);
        Assert.Equal(maxRungs, AshaMath.MaxRungs(l, t, 4, 5));
        Assert.Equal(brackets, string.Join(' ', AshaMath.Plan(config).Select(b => $"{b.Rungs},{b.Trials},{b.MaxConcurrent}")));
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void RungTargets_MatchTheWorkedExample_WhenPlanned(int t, ulong l, AdaptiveMode mode, int mct, int maxRungs, string brackets, string targets, string initial, string preview)
    {
        _ = (maxRungs, brackets, initial, preview);
        var plan = AshaMath.Plan(Configs.AdaptiveAsha(l, t, mode, maxConcurrent: mct));
        Assert.Equal(targets, string.Join(' ', plan.Select(b => string.Join(',', AshaMath.RungTargets(l, 4, b.Rungs)))));
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void InitialOperations_CreateTheWorkedExampleCounts_WhenStarted(int t, ulong l, AdaptiveMode mode, int mct, int maxRungs, string brackets, string targets, string initial, string preview)
    {
        _ = (maxRungs, brackets, targets, preview);
        var config = Configs.AdaptiveAsha(l, t, mode, maxConcurrent: mct);
        var perBracket = AshaMath.Plan(config).Select(b => Math.Min(b.MaxConcurrent, b.Trials)).ToArray();
        Assert.Equal(initial, string.Join(' ', perBracket));
        var searcher = Searcher.Create(config, Hps.Empty, 1);
        var ops = searcher.InitialOperations();
        Assert.Equal(perBracket.Sum(), ops.Count);
        Assert.All(ops, op => Assert.IsType<CreateTrial>(op));

        // Each bracket's trials start at its own rung 0.
        var firstTargets = new List<ulong>();
        foreach (var create in ops.Cast<CreateTrial>())
            firstTargets.Add(Assert.IsType<ValidateAfter>(Assert.Single(searcher.TrialCreated(create.RequestId))).Length);
        var expected = AshaMath.Plan(config).SelectMany((b, i) => Enumerable.Repeat(AshaMath.RungTargets(l, 4, b.Rungs)[0], perBracket[i]));
        Assert.Equal(expected, firstTargets);
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void Preview_MatchesTheWorkedExample_WhenRun(int t, ulong l, AdaptiveMode mode, int mct, int maxRungs, string brackets, string targets, string initial, string preview)
    {
        _ = (maxRungs, brackets, targets, initial);
        var plan = SearchPreview.Run(Configs.AdaptiveAsha(l, t, mode, maxConcurrent: mct));
        Assert.Equal(preview, string.Join(' ', plan.TrialsByLength.Select(p => $"{p.Key}:{p.Value}")));
        Assert.Equal(t, plan.TotalTrials);
        Assert.Equal(LengthUnit.Unitless, plan.Unit);
    }

    [Fact]
    public void Preview_TrainsThreeTrialsToEachRung_WhenSixTrialsAndStandardMode()
    {
        var plan = SearchPreview.Run(Configs.AdaptiveAsha(maxLength: 5000, maxTrials: 6));
        Assert.Equal(new Dictionary<ulong, int> { [1250] = 3, [5000] = 3 }, plan.TrialsByLength);
    }

    [Fact]
    public void Preview_ListsTheCliGroups_WhenSixTrialsAndStandardMode()
    {
        var plan = SearchPreview.Run(Configs.AdaptiveAsha(maxLength: 5000, maxTrials: 6));
        Assert.Equal(
            [new SearchPlanGroup(3, [1250]), new SearchPlanGroup(1, [1250, 5000]), new SearchPlanGroup(2, [5000])],
            plan.Groups);
        Assert.Equal(6, plan.TotalTrials);
    }
}

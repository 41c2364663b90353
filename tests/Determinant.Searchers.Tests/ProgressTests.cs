namespace Determinant.Searchers.Tests;

public sealed class ProgressTests
{
    [Theory]
    [MemberData(nameof(Scenario.Names), MemberType = typeof(Scenario))]
    public void Progress_NeverDecreasesAndEndsAtOne_WhenASearchRunsToShutdown(string name)
    {
        var sim = Scenario.Named(name).Run();
        Assert.Single(sim.Shutdowns);
        for (var i = 1; i < sim.ProgressHistory.Count; i++)
            Assert.True(sim.ProgressHistory[i] >= sim.ProgressHistory[i - 1], $"progress fell at event {i}");
        Assert.Equal(1.0, sim.ProgressHistory[^1]);
        Assert.All(sim.ProgressHistory.SkipLast(1), p => Assert.InRange(p, 0, 1));
    }

    [Fact]
    public void Progress_CountsClosedTrialsAsFullAndOpenOnesByUnits_WhenRandom()
    {
        var searcher = Searcher.Create(Configs.Random(maxTrials: 2, maxLength: 100, maxConcurrent: 1), Hps.Empty, 1);
        var first = ((CreateTrial)searcher.InitialOperations()[0]).RequestId;
        searcher.TrialCreated(first);
        searcher.SetProgress(first, 50);
        Assert.Equal(0.25, searcher.Progress);
        searcher.ValidationCompleted(first, 1, new ValidateAfter(first, 100));
        var second = searcher.TrialClosed(first).OfType<CreateTrial>().Single().RequestId;
        Assert.Equal(0.5, searcher.Progress);
        searcher.TrialCreated(second);
        searcher.SetProgress(second, 30);
        Assert.Equal(0.65, searcher.Progress);
        searcher.SetProgress(second, 1e9);
        Assert.Equal(1.0, searcher.Progress);
    }

    [Fact]
    public void Progress_DoesNotFall_WhenAnInvalidTrialsUnitsAreDropped()
    {
        var searcher = Searcher.Create(Configs.Random(maxTrials: 2, maxLength: 100, maxConcurrent: 2), Hps.Empty, 1);
        var ids = searcher.InitialOperations().Cast<CreateTrial>().Select(c => c.RequestId).ToArray();
        searcher.TrialCreated(ids[0]);
        searcher.SetProgress(ids[0], 60);
        Assert.Equal(0.3, searcher.Progress);
        searcher.TrialExitedEarly(ids[0], ExitedReason.InvalidHp);
        Assert.Equal(0.3, searcher.Progress);
        searcher.SetProgress(ids[0], 90);
        Assert.Equal(0.3, searcher.Progress);
        searcher.TrialCreated(ids[1]);
        searcher.SetProgress(ids[1], double.NaN);
        Assert.Equal(0.3, searcher.Progress);
        searcher.SetProgress(ids[1], 80);
        Assert.Equal(0.4, searcher.Progress);
    }

    [Fact]
    public void Progress_CountsInvalidTrialsAsClosed_WhenGrid()
    {
        var space = Hps.Of(("a", Hps.Categorical(1, 2, 3, 4)));
        var searcher = Searcher.Create(Configs.Grid(maxLength: 10, maxConcurrent: 4), space, 1);
        var ids = searcher.InitialOperations().Cast<CreateTrial>().Select(c => c.RequestId).ToArray();
        searcher.TrialCreated(ids[0]);
        searcher.TrialExitedEarly(ids[0], ExitedReason.InvalidHp);
        searcher.TrialClosed(ids[0]);
        searcher.TrialCreated(ids[1]);
        searcher.SetProgress(ids[1], 5);
        Assert.Equal((10 + 5) / 40.0, searcher.Progress);
    }

    [Fact]
    public void Progress_IsRung0ResultsOverOnePointTwoT_WhenAsha()
    {
        var searcher = Searcher.Create(Configs.AdaptiveAsha(5000, 6), Hps.Empty, 1);
        var ids = searcher.InitialOperations().Cast<CreateTrial>().Select(c => c.RequestId).ToArray();
        foreach (var id in ids)
            searcher.TrialCreated(id);
        searcher.ValidationCompleted(ids[0], 0.3, new ValidateAfter(ids[0], 1250));
        // Bracket A: 1 result of 4 → 1 / 4.8; bracket B: nothing yet; the experiment averages the brackets.
        Assert.Equal(1 / 4.8 / 2, searcher.Progress, 1e-12);
        searcher.ValidationCompleted(ids[4], 0.3, new ValidateAfter(ids[4], 5000));
        searcher.ValidationCompleted(ids[5], 0.3, new ValidateAfter(ids[5], 5000));
        // Bracket B's rung 0 is full and both trials are closed, so it counts max(2 / 2.4, 2 / 2) = 1.
        Assert.Equal(((1 / 4.8) + 1) / 2, searcher.Progress, 1e-12);
    }

    [Fact]
    public void Progress_IsUnitsOverTheWholeBudget_WhenPbt()
    {
        var searcher = Searcher.Create(Configs.Pbt(2, 3, 100, 0.5), Hps.Empty, 1);
        var ids = searcher.InitialOperations().Cast<CreateTrial>().Select(c => c.RequestId).ToArray();
        searcher.TrialCreated(ids[0]);
        searcher.SetProgress(ids[0], 60);
        Assert.Equal(60 / 600.0, searcher.Progress);
    }
}

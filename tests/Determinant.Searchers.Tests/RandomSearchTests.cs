namespace Determinant.Searchers.Tests;

public sealed class RandomSearchTests
{
    [Fact]
    public void Single_TrainsOneTrialToMaxLengthThenShutsDown_WhenRun()
    {
        var searcher = Searcher.Create(Configs.Single(937), Hps.CreateVector, 1);
        var create = Assert.IsType<CreateTrial>(Assert.Single(searcher.InitialOperations()));
        var ops = searcher.TrialCreated(create.RequestId);
        Assert.Equal<SearcherOperation>([new ValidateAfter(create.RequestId, 937), new CloseTrial(create.RequestId)], ops);
        Assert.Empty(searcher.ValidationCompleted(create.RequestId, 0.5, (ValidateAfter)ops[0]));
        Assert.Equal<SearcherOperation>([new Shutdown()], searcher.TrialClosed(create.RequestId));
        Assert.True(searcher.IsShutdown);
        Assert.Equal(1.0, searcher.Progress);
    }

    [Fact]
    public void Single_DoesNotReplaceTheTrial_WhenInvalidHp()
    {
        var sim = Sim.Run(Configs.Single(), (_, _) => 1, (_, _) => ExitedReason.InvalidHp);
        Assert.Single(sim.Trials);
        Assert.Equal([new Shutdown()], sim.Shutdowns);
    }

    [Fact]
    public void Random_KeepsConcurrencyConstant_WhenTrialsClose()
    {
        var searcher = Searcher.Create(Configs.Random(maxTrials: 5, maxConcurrent: 2), Hps.CreateVector, 3);
        Assert.Equal(2, searcher.InitialOperations().Count);
        var sim = Sim.Run(Configs.Random(maxTrials: 5, maxConcurrent: 2), (_, _) => 1, hps: Hps.CreateVector, seed: 3);
        Assert.Equal(5, sim.Trials.Count);
        Assert.All(sim.Trials, t => Assert.Equal([100UL], t.Lengths));
        Assert.Single(sim.Shutdowns);
    }

    [Fact]
    public void Random_CreatesEveryTrialAtOnce_WhenNoConcurrencyLimit()
    {
        var searcher = Searcher.Create(Configs.Random(maxTrials: 5, maxConcurrent: 0), Hps.CreateVector, 3);
        Assert.Equal(5, searcher.InitialOperations().OfType<CreateTrial>().Count());
        Assert.Equal(3, Searcher.Create(Configs.Random(maxTrials: 3), Hps.CreateVector, 3).InitialOperations().Count);
    }

    [Fact]
    public void Random_ReplacesInvalidTrials_WhenInvalidHp()
    {
        var sim = Sim.Run(Configs.Random(maxTrials: 4, maxConcurrent: 2), (_, _) => 1, (t, _) => t.Number is 2 or 3 ? ExitedReason.InvalidHp : null);
        Assert.Equal(6, sim.Trials.Count);
        Assert.Equal(4, sim.Trials.Count(t => t.Exit is null));
        Assert.Equal([new Shutdown()], sim.Shutdowns);
    }

    [Fact]
    public void Random_CountsErroredTrialsTowardMaxTrials_WhenATrialFails()
    {
        var sim = Sim.Run(Configs.Random(maxTrials: 4, maxConcurrent: 2), (_, _) => 1, (t, _) => t.Number == 2 ? ExitedReason.Errored : null);
        Assert.Equal(4, sim.Trials.Count);
        Assert.Equal([new Shutdown()], sim.Shutdowns);
    }

    [Theory]
    [InlineData(ExitedReason.UserCanceled, true, false)]
    [InlineData(ExitedReason.Errored, false, true)]
    [InlineData(ExitedReason.UserRequestedStop, false, false)]
    public void Shutdown_FlagsCancelOrFailure_WhenEveryTrialEndsThatWay(ExitedReason reason, bool cancel, bool failure)
    {
        var sim = Sim.Run(Configs.Random(maxTrials: 3, maxConcurrent: 2), (_, _) => 1, (_, _) => reason);
        Assert.Equal([new Shutdown(cancel, failure)], sim.Shutdowns);
    }

    [Fact]
    public void Shutdown_FlagsNeither_WhenOnlySomeTrialsFail()
    {
        var sim = Sim.Run(Configs.Random(maxTrials: 3), (_, _) => 1, (t, _) => t.Number == 1 ? ExitedReason.Errored : null);
        Assert.Equal([new Shutdown()], sim.Shutdowns);
    }

    [Fact]
    public void TrialExitedEarly_IsIgnored_WhenReportedTwice()
    {
        var searcher = Searcher.Create(Configs.Random(maxTrials: 2, maxConcurrent: 1), Hps.Empty, 3);
        var id = ((CreateTrial)searcher.InitialOperations()[0]).RequestId;
        searcher.TrialCreated(id);
        searcher.TrialExitedEarly(id, ExitedReason.InvalidHp);
        Assert.Empty(searcher.TrialExitedEarly(id, ExitedReason.InvalidHp));
        // Replaced once only: the closed invalid trial gives back one place.
        Assert.Single(searcher.TrialClosed(id).OfType<CreateTrial>());
    }

    [Fact]
    public void ValidationCompleted_Throws_WhenTheOperationIsNotTheCurrentOne()
    {
        var searcher = Searcher.Create(Configs.Single(100), Hps.Empty, 3);
        var id = ((CreateTrial)searcher.InitialOperations()[0]).RequestId;
        Assert.Throws<InvalidOperationException>(() => searcher.ValidationCompleted(id, 1, new ValidateAfter(id, 100)));
        searcher.TrialCreated(id);
        Assert.Throws<InvalidOperationException>(() => searcher.ValidationCompleted(id, 1, new ValidateAfter(id, 50)));
        Assert.Empty(searcher.ValidationCompleted(id, 1, new ValidateAfter(id, 100)));
        Assert.Throws<InvalidOperationException>(() => searcher.ValidationCompleted(id, 1, new ValidateAfter(id, 100)));
    }

    [Fact]
    public void Events_Throw_WhenTheRequestIdIsUnknownOrTheSearchStartsTwice()
    {
        var searcher = Searcher.Create(Configs.Single(100), Hps.Empty, 3);
        searcher.InitialOperations();
        Assert.Throws<InvalidOperationException>(() => searcher.InitialOperations());
        var stranger = new RequestId(Guid.Empty);
        Assert.Throws<ArgumentException>(() => searcher.TrialCreated(stranger));
        Assert.Throws<ArgumentException>(() => searcher.TrialClosed(stranger));
        Assert.Throws<ArgumentException>(() => searcher.SetProgress(stranger, 1));
    }
}

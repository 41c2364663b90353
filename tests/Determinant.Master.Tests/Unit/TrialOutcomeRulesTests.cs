using Determinant.Master.ResourceManagers;
using Determinant.Master.Domain;
using Determinant.Master.Trials;
using Determinant.Protocol.Api;

namespace Determinant.Master.Tests.Unit;

public sealed class TrialOutcomeRulesTests
{
    private static readonly TrialExitFacts Running = new(TrialState.Active, SearcherClosed: false, Acked: false,
        EarlyExitReported: false, HasIncompleteOp: true, Restarts: 0, MaxRestarts: 5);

    private static readonly AllocationExit Clean = new(AllocationExitKind.Clean, 0);
    private static readonly AllocationExit Failed = new(AllocationExitKind.Failed, 1);

    [Theory]
    [InlineData(TrialState.StoppingCompleted, TrialState.Completed)]
    [InlineData(TrialState.StoppingCanceled, TrialState.Canceled)]
    [InlineData(TrialState.StoppingKilled, TrialState.Canceled)]
    [InlineData(TrialState.StoppingError, TrialState.Error)]
    public void Decide_EndsInTheMappedState_WhenStoppingAndClean(TrialState stopping, TrialState expected)
    {
        var outcome = TrialOutcomeRules.Decide(Running with { State = stopping, Acked = true }, Clean);
        Assert.Equal((TrialOutcomeKind.Terminal, expected), (outcome.Kind, outcome.State!.Value));
    }

    [Fact]
    public void Decide_EndsInError_WhenStoppingAndFailed() =>
        Assert.Equal(TrialState.Error, TrialOutcomeRules.Decide(Running with { State = TrialState.StoppingCanceled }, Failed).State);

    [Fact]
    public void Decide_Completes_WhenSearcherClosedAndClean()
    {
        var outcome = TrialOutcomeRules.Decide(Running with { SearcherClosed = true, HasIncompleteOp = false }, Clean);
        Assert.Equal((TrialOutcomeKind.Terminal, TrialState.Completed, "hp search is finished"), (outcome.Kind, outcome.State!.Value, outcome.Reason));
    }

    [Fact]
    public void Decide_Errors_WhenSearcherClosedButFailed() =>
        Assert.Equal("exited with an error but hp search was complete",
            TrialOutcomeRules.Decide(Running with { SearcherClosed = true }, Failed).Reason);

    [Fact]
    public void Decide_Errors_OnFatalSystemError() =>
        Assert.Equal(TrialState.Error, TrialOutcomeRules.Decide(Running, new AllocationExit(AllocationExitKind.FatalSystemError)).State);

    [Fact]
    public void Decide_ReschedulesWithoutCountingARestart_OnTransientSystemError()
    {
        var outcome = TrialOutcomeRules.Decide(Running with { Restarts = 2 }, new AllocationExit(AllocationExitKind.TransientSystemError));
        Assert.Equal((TrialOutcomeKind.Reschedule, 2), (outcome.Kind, outcome.Restarts));
    }

    [Theory]
    [InlineData(0, false, 1)]
    [InlineData(4, false, 5)]
    [InlineData(5, true, 5)]
    public void Decide_CountsRestartsPerTrialUpToMaxRestarts_OnFailure(int restarts, bool ends, int after)
    {
        var outcome = TrialOutcomeRules.Decide(Running with { Restarts = restarts }, Failed);
        var kind = ends ? TrialOutcomeKind.Terminal : TrialOutcomeKind.Reschedule;
        Assert.Equal((kind, after), (outcome.Kind, outcome.Restarts));
        if (ends)
            Assert.Equal("trial exceeded max restarts", outcome.Reason);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public void Decide_AllowsExactlyMaxRestarts_AndCountsOnlyTheRestartsMade(int maxRestarts)
    {
        var facts = Running with { MaxRestarts = maxRestarts };
        var runs = 0;
        TrialOutcome outcome;
        do
        {
            runs++;
            outcome = TrialOutcomeRules.Decide(facts, Failed);
            facts = facts with { Restarts = outcome.Restarts };
        }
        while (outcome.Kind == TrialOutcomeKind.Reschedule);

        Assert.Equal((TrialState.Error, maxRestarts + 1, maxRestarts), (outcome.State!.Value, runs, outcome.Restarts));
    }

    [Fact]
    public void Decide_CountsNoRestart_WhenTheOnlyRunCompletes() =>
        Assert.Equal(0, TrialOutcomeRules.Decide(Running, Clean).Restarts);

    [Fact]
    public void Decide_Errors_WhenDontRetryPatternMatched() =>
        Assert.Equal(TrialState.Error, TrialOutcomeRules.Decide(Running, Failed with { DontRetryMatched = true }).State);

    [Fact]
    public void Decide_Completes_OnCleanExitWithoutStopSignal() =>
        Assert.Equal(TrialState.Completed, TrialOutcomeRules.Decide(Running, Clean).State);

    [Fact]
    public void Decide_Completes_OnCleanExitAfterEarlyExitReport() =>
        Assert.Equal(TrialState.Completed, TrialOutcomeRules.Decide(Running with { Acked = true, EarlyExitReported = true }, Clean).State);

    [Fact]
    public void Decide_Reschedules_OnAckedCleanExitWithWorkLeft() =>
        Assert.Equal(TrialOutcomeKind.Reschedule, TrialOutcomeRules.Decide(Running with { Acked = true }, Clean).Kind);

    [Theory]
    [InlineData(TrialState.Paused, true)]
    [InlineData(TrialState.Active, false)]
    public void Decide_Waits_OnAckedCleanExitWhenPausedOrWithoutWork(TrialState state, bool hasWork) =>
        Assert.Equal(TrialOutcomeKind.Wait, TrialOutcomeRules.Decide(Running with { State = state, Acked = true, HasIncompleteOp = hasWork }, Clean).Kind);

    [Fact]
    public void Decide_WaitsWithoutCountingARestart_WhenAPausedTrialWasKilledByTheMaster()
    {
        var outcome = TrialOutcomeRules.Decide(Running with { State = TrialState.Paused, Restarts = 2, KillRequested = true }, new AllocationExit(AllocationExitKind.Failed, 137));
        Assert.Equal((TrialOutcomeKind.Wait, 2), (outcome.Kind, outcome.Restarts));
    }

    [Fact]
    public void Decide_Completes_WhenKilledByTheMasterAfterAnEarlyExitReport() =>
        Assert.Equal(TrialState.Completed, TrialOutcomeRules.Decide(Running with { EarlyExitReported = true, KillRequested = true }, Failed).State);
}

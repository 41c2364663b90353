using Determinant.Master.ResourceManagers;
using Determinant.Protocol.Api;

namespace Determinant.Master.Domain;

/// <summary>REFERENCE.md §5.4: an allocation exit becomes a trial outcome, the rules tried in order.</summary>
internal static class TrialOutcomeRules
{
    public static TrialOutcome Decide(TrialExitFacts facts, AllocationExit exit)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(exit);
        // A process the master killed on purpose did not fail, and it stopped because it was told to: the kill decides,
        // like an acknowledged stop. It never counts as a restart.
        if (facts.KillRequested)
        {
            exit = exit with { Kind = AllocationExitKind.Clean };
            facts = facts with { Acked = true };
        }
        var restarts = facts.Restarts;
        var errored = exit.Kind is AllocationExitKind.Failed or AllocationExitKind.FatalSystemError;

        // 1. A stopping trial ends; an error makes it ERROR whatever it was stopping for.
        if (States.IsStopping(facts.State))
            return TrialOutcome.End(errored ? TrialState.Error : States.TerminalOf(facts.State), restarts, "the trial was stopping");
        // 2. The searcher is done with it.
        if (facts.SearcherClosed)
            return errored
                ? TrialOutcome.End(TrialState.Error, restarts, "exited with an error but hp search was complete")
                : TrialOutcome.End(TrialState.Completed, restarts, "hp search is finished");
        switch (exit.Kind)
        {
            // 3. It can never run.
            case AllocationExitKind.FatalSystemError:
                return TrialOutcome.End(TrialState.Error, restarts, "unrecoverable system error");
            // 4. Not the trial's fault, and not a restart.
            case AllocationExitKind.TransientSystemError:
                return new TrialOutcome(TrialOutcomeKind.Reschedule, null, restarts, "transient system error");
            // 5. The user's code failed: restart until max_restarts, counted per trial. The count is of restarts, not of
            // failures: the failure that finds none left ends the trial without one, so it shows the max_restarts it had.
            case AllocationExitKind.Failed:
                if (exit.DontRetryMatched)
                    return TrialOutcome.End(TrialState.Error, restarts, "a log policy said not to retry");
                return restarts >= facts.MaxRestarts
                    ? TrialOutcome.End(TrialState.Error, restarts, "trial exceeded max restarts")
                    : new TrialOutcome(TrialOutcomeKind.Reschedule, null, restarts + 1, "restarting after a failure");
        }
        // 6. A clean exit the master did not ask for: the user's code decided to stop.
        if (facts.EarlyExitReported)
            return TrialOutcome.End(TrialState.Completed, restarts, "exited early");
        if (!facts.Acked)
            return TrialOutcome.End(TrialState.Completed, restarts, "exited cleanly without a stop signal");
        // 7. It stopped because it was asked to or ran out of work: carry on if there is work.
        return facts.State == TrialState.Active && facts.HasIncompleteOp
            ? new TrialOutcome(TrialOutcomeKind.Reschedule, null, restarts, "resuming the current operation")
            : new TrialOutcome(TrialOutcomeKind.Wait, null, restarts, "waiting");
    }
}

using Determinant.Protocol.Api;

namespace Determinant.Master.Domain;

/// <summary>What the master knows about a trial when one of its allocations exits.</summary>
/// <param name="State">The trial's state.</param>
/// <param name="SearcherClosed">The searcher closed the trial and its current op is complete.</param>
/// <param name="Acked">The allocation acknowledged a stop signal or ran out of operations.</param>
/// <param name="EarlyExitReported">The trial reported <c>early_exit</c>.</param>
/// <param name="HasIncompleteOp">The trial has a searcher operation it has not completed.</param>
/// <param name="Restarts">Restarts after a failure so far (a trial that never failed has 0).</param>
/// <param name="MaxRestarts">The experiment's <c>max_restarts</c>.</param>
/// <param name="KillRequested">The master killed the allocation on purpose (user kill, preemption timeout, invalid hyperparameters).</param>
internal sealed record TrialExitFacts(
    TrialState State, bool SearcherClosed, bool Acked, bool EarlyExitReported, bool HasIncompleteOp, int Restarts, int MaxRestarts,
    bool KillRequested = false);

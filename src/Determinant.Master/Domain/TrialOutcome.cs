using Determinant.Protocol.Api;

namespace Determinant.Master.Domain;

/// <summary>What happens to a trial after an allocation exit.</summary>
internal enum TrialOutcomeKind
{
    /// <summary>The trial ends in <see cref="TrialOutcome.State"/>.</summary>
    Terminal,

    /// <summary>The trial gets a new allocation (run id + 1) when it may run.</summary>
    Reschedule,

    /// <summary>Nothing is decided: the trial waits (paused, or for promotion).</summary>
    Wait,
}

/// <summary>The decision of <see cref="TrialOutcomeRules.Decide"/>.</summary>
/// <param name="Kind">End, reschedule or wait.</param>
/// <param name="State">The terminal state, for <see cref="TrialOutcomeKind.Terminal"/>.</param>
/// <param name="Restarts">The trial's restart count after this exit (persist it).</param>
/// <param name="Reason">Why, in words, for the log.</param>
internal sealed record TrialOutcome(TrialOutcomeKind Kind, TrialState? State, int Restarts, string Reason)
{
    public static TrialOutcome End(TrialState state, int restarts, string reason) => new(TrialOutcomeKind.Terminal, state, restarts, reason);
}

namespace Determinant.Harness.Loop;

/// <summary>How the training loop ended without an error.</summary>
internal enum TrialExit
{
    /// <summary>The searcher had no more operations; the trial checkpointed and acknowledged.</summary>
    OutOfOperations,

    /// <summary>A stop signal (pause, cancel, preemption, searcher close) arrived; the trial checkpointed and acknowledged.</summary>
    Stopped,
}

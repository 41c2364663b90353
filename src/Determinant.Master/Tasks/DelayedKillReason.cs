namespace Determinant.Master.Tasks;

/// <summary>Why the master kills an allocation later if it is still alive then.</summary>
internal enum DelayedKillReason
{
    /// <summary>The graceful stop signal went unanswered for the config's <c>preemption_timeout</c> (REFERENCE.md §5.5).</summary>
    PreemptionTimeout,

    /// <summary>The trial reported <c>INVALID_HP</c> and did not exit within 10 s (REFERENCE.md §5.4).</summary>
    InvalidHp,
}

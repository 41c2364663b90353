namespace Determinant.Harness.Reporting;

/// <summary>What a <see cref="PendingReport"/> carries; decides how queued reports are merged into one batch.</summary>
internal enum PendingReportKind
{
    /// <summary>Metrics and runner state: every one is sent, in order.</summary>
    Every,

    /// <summary>Progress: only the newest of a batch is sent.</summary>
    Latest,

    /// <summary>A log line: the lines of a batch go out in one call.</summary>
    Log,

    /// <summary>Completes when everything queued before it has been sent or dropped.</summary>
    Barrier,
}

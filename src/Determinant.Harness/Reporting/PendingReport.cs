using Determinant.Protocol.CoreApi;

namespace Determinant.Harness.Reporting;

/// <summary>
/// One queued report: a call to make, log lines to ship together, or a flush barrier. A training report also carries
/// its <see cref="Training"/> metrics, so that consecutive ones can go out as one batch call.
/// </summary>
internal sealed record PendingReport(
    PendingReportKind Kind,
    string Description,
    Func<ICoreApi, CancellationToken, Task>? Send = null,
    TaskLog? Log = null,
    TaskCompletionSource? Barrier = null,
    TrialMetrics? Training = null);

namespace Determinant.Protocol.CoreApi;

/// <summary>Body of <c>POST /api/v1/trials/{id}/early_exit</c>; a second report for the same trial answers 400.</summary>
/// <param name="Reason">Why the trial stopped.</param>
public sealed record ReportTrialEarlyExitRequest(EarlyExitReason Reason);

namespace Determinant.Protocol.CoreApi;

/// <summary>Body of <c>POST /api/v1/trials/{id}/progress</c>.</summary>
/// <param name="Progress">Training done, in searcher units (classic); a fraction in [0, 1] when <paramref name="IsRaw"/>.</param>
/// <param name="IsRaw">True when <paramref name="Progress"/> is a fraction rather than searcher units.</param>
public sealed record ReportTrialProgressRequest(double Progress, bool IsRaw = false);

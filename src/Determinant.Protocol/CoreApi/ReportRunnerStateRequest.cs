namespace Determinant.Protocol.CoreApi;

/// <summary>Body of <c>POST /api/v1/trials/{id}/runner/metadata</c>.</summary>
/// <param name="State">What the training code is doing now.</param>
public sealed record ReportRunnerStateRequest(RunnerState State);

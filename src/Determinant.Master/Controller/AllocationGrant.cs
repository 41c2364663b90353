namespace Determinant.Master.Controller;

/// <summary>A started allocation: its id, its run id and the token its task sends as <c>x-allocation-token</c>.</summary>
internal sealed record AllocationGrant(string AllocationId, string TaskId, int TrialId, int RunId, string Token);

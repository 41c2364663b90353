namespace Determinant.Master.Tasks;

/// <summary>A started allocation: its id, its task, its run id and the token its processes send as <c>x-allocation-token</c>.</summary>
internal sealed record AllocationGrant(string AllocationId, string TaskId, int RunId, string Token);

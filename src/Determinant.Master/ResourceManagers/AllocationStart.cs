namespace Determinant.Master.ResourceManagers;

/// <summary>A started allocation and what to run for it.</summary>
/// <param name="AllocationId">The allocation (<c>&lt;task id&gt;.&lt;run id&gt;</c>).</param>
/// <param name="TaskId">Its task.</param>
/// <param name="Spec">The processes to start, which no resource manager has touched yet.</param>
internal sealed record AllocationStart(string AllocationId, string TaskId, TaskSpec Spec);

namespace Determinant.Protocol.Agent;

/// <summary>Stop the processes of an allocation.</summary>
/// <param name="AllocationId">The allocation.</param>
/// <param name="Graceful">
/// True: SIGTERM to the task's process group, then SIGKILL after the grace period (REFERENCE §5.5). False: SIGKILL at once.
/// </param>
/// <param name="GracePeriodSeconds">Overrides the agent's grace period (10 s by default).</param>
public sealed record KillCommand(string AllocationId, bool Graceful = true, int? GracePeriodSeconds = null);

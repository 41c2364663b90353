namespace Determinant.Protocol.Agent;

/// <summary>An allocation an agent still holds, listed when it (re-)registers so the master can reconcile.</summary>
/// <param name="AllocationId">The allocation.</param>
/// <param name="TaskId">Its task.</param>
/// <param name="State">Its last state (<see cref="AllocationStates"/>); EXITED when the exit is not yet acknowledged.</param>
/// <param name="ExitCode">The exit code when <paramref name="State"/> is EXITED.</param>
public sealed record AgentAllocation(string AllocationId, string TaskId, string State, int? ExitCode = null);

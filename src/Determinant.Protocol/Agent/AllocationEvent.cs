namespace Determinant.Protocol.Agent;

/// <summary>Body of <c>POST /api/v1/agents/{agentId}/allocations/{allocationId}/events</c>.</summary>
/// <param name="State"><see cref="AllocationStates"/>.</param>
/// <param name="Time">When it happened (UTC, agent clock).</param>
/// <param name="ExitCode">On EXITED: the exit code; 128 + n when signal n ended it; null when the process never started.</param>
/// <param name="Signal">On EXITED: the signal the agent sent that ended it (<c>SIGTERM</c>, <c>SIGKILL</c>), if any.</param>
/// <param name="Message">Why it exited when the agent knows (a failed launch, a kill), for the trial's log.</param>
/// <param name="Ports">On RUNNING: the port the agent chose for each of the launch's <see cref="LaunchCommand.Ports"/>, by name.</param>
public sealed record AllocationEvent(
    string State, DateTimeOffset Time, int? ExitCode = null, string? Signal = null, string? Message = null,
    IReadOnlyDictionary<string, int>? Ports = null);

namespace Determinant.Protocol.Agent;

/// <summary>One command for an agent; exactly one of <paramref name="Launch"/> and <paramref name="Kill"/> is set.</summary>
/// <param name="Seq">Increases by one per command of an agent; the agent acknowledges it by polling with <c>after=Seq</c>.</param>
/// <param name="Launch">Start a task process.</param>
/// <param name="Kill">Stop a task process.</param>
public sealed record AgentCommand(long Seq, LaunchCommand? Launch = null, KillCommand? Kill = null);

namespace Determinant.Protocol.Agent;

/// <summary>Answer to <c>GET /api/v1/agents/{agentId}/commands</c>: the pending commands in order (empty on timeout).</summary>
/// <param name="Commands">Commands with <c>seq</c> greater than the poll's <c>after</c>.</param>
public sealed record AgentCommandsResponse(IReadOnlyList<AgentCommand> Commands);

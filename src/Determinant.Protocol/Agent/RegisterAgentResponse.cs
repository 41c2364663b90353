namespace Determinant.Protocol.Agent;

/// <summary>Answer to <c>POST /api/v1/agents/register</c>.</summary>
/// <param name="AgentId">The id the master registered the agent under.</param>
/// <param name="HeartbeatIntervalSeconds">The <c>timeout_seconds</c> the agent asks for on each command poll.</param>
/// <param name="AgentTimeoutSeconds">After this long without a poll the master considers the agent lost.</param>
/// <param name="CommandsAfter">The <c>after</c> value of the agent's first command poll.</param>
public sealed record RegisterAgentResponse(string AgentId, int HeartbeatIntervalSeconds, int AgentTimeoutSeconds, long CommandsAfter);

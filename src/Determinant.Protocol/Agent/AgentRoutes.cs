namespace Determinant.Protocol.Agent;

/// <summary>The routes of the agent protocol (docs/agent-protocol.md), relative to the master's base address.</summary>
public static class AgentRoutes
{
    /// <summary><c>POST</c>: <see cref="RegisterAgentRequest"/> → <see cref="RegisterAgentResponse"/>.</summary>
    public const string Register = "api/v1/agents/register";

    /// <summary><c>POST</c>: a batch of task log lines (the Core API's <c>PostTaskLogsRequest</c>).</summary>
    public const string TaskLogs = "api/v1/task/logs";

    /// <summary><c>GET</c> long poll: → <see cref="AgentCommandsResponse"/>; also the heartbeat.</summary>
    public static string Commands(string agentId, long after, int timeoutSeconds) =>
        $"api/v1/agents/{Uri.EscapeDataString(agentId)}/commands?after={after}&timeout_seconds={timeoutSeconds}";

    /// <summary><c>POST</c>: an <see cref="AllocationEvent"/>.</summary>
    public static string Events(string agentId, string allocationId) =>
        $"api/v1/agents/{Uri.EscapeDataString(agentId)}/allocations/{Uri.EscapeDataString(allocationId)}/events";

    /// <summary><c>GET</c>: the allocation's model definition as <c>application/gzip</c> (what the master puts in <see cref="ModelDefinitionSource.Url"/>).</summary>
    public static string ModelDefinition(string agentId, string allocationId) =>
        $"api/v1/agents/{Uri.EscapeDataString(agentId)}/allocations/{Uri.EscapeDataString(allocationId)}/model_def";
}

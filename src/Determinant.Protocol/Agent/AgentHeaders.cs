namespace Determinant.Protocol.Agent;

/// <summary>HTTP headers of the agent protocol.</summary>
public static class AgentHeaders
{
    /// <summary>The shared agent token, sent on every agent request (docs/agent-protocol.md).</summary>
    public const string Token = "x-agent-token";
}

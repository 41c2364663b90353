using Determinant.Protocol.Agent;

namespace Determinant.Agent.Tasks;

/// <summary>What the agent knows about one launch when it starts the process.</summary>
internal sealed record TaskContext(
    LaunchCommand Launch,
    string AgentId,
    string ContainerId,
    string WorkDirectory,
    Uri Master,
    IReadOnlyList<AgentSlot> Slots,
    IReadOnlyList<string> PassEnv,
    TaskWorker? Worker = null);

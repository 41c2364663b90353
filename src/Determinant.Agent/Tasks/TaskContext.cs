using Determinant.Protocol.Agent;

namespace Determinant.Agent.Tasks;

/// <summary>What the agent knows about one launch when it starts the process.</summary>
/// <remarks>
/// <c>Ports</c>: the ports the agent picked for the launch's <see cref="LaunchCommand.Ports"/>, by name. <c>Programs</c>:
/// the programs the agent found for task types that need them (<see cref="TaskPrograms"/>). <c>InstallEnv</c>:
/// what the agent's install provides (<see cref="Hosting.AgentOptions.InstallEnvironment"/>). <c>Sandbox</c>: the task's sandbox;
/// null when the agent runs unsandboxed.
/// </remarks>
internal sealed record TaskContext(
    LaunchCommand Launch,
    string AgentId,
    string ContainerId,
    string WorkDirectory,
    Uri Master,
    IReadOnlyList<AgentSlot> Slots,
    IReadOnlyList<string> PassEnv,
    TaskWorker? Worker = null,
    IReadOnlyDictionary<string, int>? Ports = null,
    IReadOnlyDictionary<string, string>? Programs = null,
    IReadOnlyDictionary<string, string>? InstallEnv = null,
    Sandbox.SandboxSpec? Sandbox = null);

using Determinant.Agent.Hosting;
using Determinant.Agent.Reporting;
using Determinant.Protocol.Agent;
using Microsoft.Extensions.Logging;

namespace Determinant.Agent.Tasks;

/// <summary>What every <see cref="TaskRun"/> of this agent shares.</summary>
internal sealed record TaskRuntime(
    AgentOptions Options,
    Uri Master,
    IReadOnlyList<AgentSlot> Slots,
    ProcessLauncher Launcher,
    WorkDirectories WorkDirectories,
    LogShipper Logs,
    EventReporter Events,
    TimeProvider Time,
    ILogger Logger,
    TaskPorts Ports,
    Sandbox.TaskSandbox Sandbox)
{
    /// <summary>The programs this agent offers task types that need them, found once at start (a new install needs an agent restart).</summary>
    public IReadOnlyDictionary<string, string> Programs { get; } = TaskPrograms.Find(Options);

    /// <summary>What the agent's install gives every task (<see cref="AgentOptions.InstallEnvironment"/>), computed once.</summary>
    public IReadOnlyDictionary<string, string> InstallEnvironment { get; } = Options.InstallEnvironment();
}

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
    TaskPorts Ports);

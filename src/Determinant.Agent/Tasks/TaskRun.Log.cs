using Microsoft.Extensions.Logging;

namespace Determinant.Agent.Tasks;

/// <summary>The log messages of <see cref="TaskRun"/>.</summary>
internal sealed partial class TaskRun
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Allocation {AllocationId} started as process {ProcessId} in {WorkDirectory}")]
    private static partial void LogStarted(ILogger logger, string allocationId, int processId, string workDirectory);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Allocation {AllocationId} did not start: {Reason}")]
    private static partial void LogStartFailed(ILogger logger, string allocationId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Allocation {AllocationId} exited with code {ExitCode}")]
    private static partial void LogExited(ILogger logger, string allocationId, int exitCode);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sending signal {Signal} to allocation {AllocationId}")]
    private static partial void LogSignal(ILogger logger, string allocationId, int signal);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Output pipes of allocation {AllocationId} stayed open after it exited; stopped reading them")]
    private static partial void LogPipesOpen(ILogger logger, string allocationId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not remove the working directory of allocation {AllocationId}: {Reason}")]
    private static partial void LogCleanupFailed(ILogger logger, string allocationId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Allocation {AllocationId}: the worker of rank {Rank} exited with code {ExitCode}")]
    private static partial void LogWorkerExited(ILogger logger, string allocationId, int rank, int exitCode);
}

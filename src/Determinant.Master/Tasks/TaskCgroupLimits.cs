using Determinant.Protocol.Agent;

namespace Determinant.Master.Tasks;

/// <summary>A config's <c>resources.memory_limit</c> and <c>resources.pids_limit</c> as the agent's <see cref="TaskLimits"/>.</summary>
internal static class TaskCgroupLimits
{
    /// <summary>The limits; null when the config sets none, so the agent's defaults apply.</summary>
    public static TaskLimits? Of(long? memoryLimit, int? pidsLimit) =>
        memoryLimit is null && pidsLimit is null ? null : new TaskLimits(memoryLimit, pidsLimit);
}

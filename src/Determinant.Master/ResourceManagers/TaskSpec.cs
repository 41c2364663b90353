using Determinant.Protocol.Agent;

namespace Determinant.Master.ResourceManagers;

/// <summary>
/// What to run for an allocation, in terms of no resource manager: the program, its environment (REFERENCE.md §7.1),
/// the files of its working directory, what it sees of the host, the ports it serves on and its limits. A resource
/// manager adds its own part (ranks, the chief's address, devices) when it turns this into a launch.
/// </summary>
/// <param name="TaskType">The wire name (<c>TRIAL</c>, <c>NOTEBOOK</c>, <c>TENSORBOARD</c>, <c>COMMAND</c>).</param>
/// <param name="Argv">The program and its arguments; no shell.</param>
/// <param name="Env">Variables of every process of the task.</param>
/// <param name="CpuEnv">Variables added on CPU slots (the config's <c>environment_variables.cpu</c>).</param>
/// <param name="CudaEnv">Variables added on CUDA slots.</param>
/// <param name="HasArchive">The working directory starts from the task's archive, a tar.gz (<see cref="IAllocationEvents.ArchiveAsync"/>).</param>
/// <param name="InlineArchive">The archive itself when it is small (<see cref="InlineArchiveLimit"/>), to travel inside the launch.</param>
/// <param name="Mounts">Host paths the task sees.</param>
/// <param name="Ports">Ports the task serves on; the first is its proxied service.</param>
/// <param name="Limits">Its memory and process limits; null for the defaults.</param>
/// <param name="Owner">The owner's user name.</param>
/// <param name="RunAs">The agent account the owner is linked with; null for the default one.</param>
/// <param name="Multiprocess">Starts one worker per slot (a distributed trial) rather than one process.</param>
internal sealed record TaskSpec(
    string TaskType,
    IReadOnlyList<string> Argv,
    IReadOnlyDictionary<string, string> Env,
    IReadOnlyDictionary<string, string> CpuEnv,
    IReadOnlyDictionary<string, string> CudaEnv,
    bool HasArchive,
    byte[]? InlineArchive,
    IReadOnlyList<TaskMount> Mounts,
    IReadOnlyList<TaskPort> Ports,
    TaskLimits? Limits,
    string Owner,
    TaskUser? RunAs,
    bool Multiprocess)
{
    /// <summary>Archives up to this size travel inside the spec (and a launch), which saves the node a request.</summary>
    public const int InlineArchiveLimit = 512 * 1024;
}

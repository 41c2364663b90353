using System.Globalization;
using Determinant.Protocol.Agent;

namespace Determinant.Agent.Tasks;

/// <summary>
/// The environment of a task process (REFERENCE §7.1): a clean base (the agent's <c>pass_env</c> variables and what its
/// install provides, <c>DET_SDK_DIR</c> and <c>JUPYTER_PATH</c>), then the launch command's variables, then what only the
/// agent knows, which always wins.
/// </summary>
internal static class TaskEnvironment
{
    public static Dictionary<string, string> Build(TaskContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var launch = context.Launch;
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in context.PassEnv)
        {
            if (Environment.GetEnvironmentVariable(name) is { } value)
                env[name] = value;
        }
        foreach (var (name, value) in context.InstallEnv ?? new Dictionary<string, string>())
            env[name] = value;
        // What the master may leave to the agent: where the master is as this machine reaches it, and the ids.
        env["DET_MASTER"] = context.Master.GetLeftPart(UriPartial.Authority);
        env["DET_MASTER_HOST"] = context.Master.Host;
        env["DET_MASTER_PORT"] = context.Master.Port.ToString(CultureInfo.InvariantCulture);
        env["DET_ALLOCATION_ID"] = launch.AllocationId;
        env["DET_TASK_ID"] = launch.TaskId;
        env["DET_TASK_TYPE"] = launch.TaskType;
        foreach (var (name, value) in launch.Env)
            env[name] = value;

        foreach (var (program, path) in context.Programs ?? new Dictionary<string, string>())
            env[TaskPrograms.Variable(program)] = path;
        env["DET_AGENT_ID"] = context.AgentId;
        env["DET_CONTAINER_ID"] = context.ContainerId;
        var slots = context.Worker?.SlotIds ?? launch.SlotIds;
        env["DET_SLOT_IDS"] = "[" + string.Join(",", slots.Select(i => i.ToString(CultureInfo.InvariantCulture))) + "]";
        env["DET_WORKDIR"] = context.WorkDirectory;
        // One worker of a multi-process allocation: its own rank (docs/distributed.md).
        foreach (var (name, value) in context.Worker?.Env ?? new Dictionary<string, string>())
            env[name] = value;
        // The ports the task serves on, for the process that serves them: the single one, or the chief (rank 0).
        if (context.Ports is { Count: > 0 } ports && (context.Worker is null || context.Worker.Rank == 0))
        {
            foreach (var port in launch.Ports ?? [])
            {
                if (ports.TryGetValue(port.Name, out var number))
                    env[port.EnvVar] = number.ToString(CultureInfo.InvariantCulture);
            }
            env["DET_TASK_HOST"] = TaskPorts.Host;
        }
        var gpus = slots.Where(i => context.Slots.Any(s => s.Index == i && s.Type == SlotTypes.Cuda)).ToList();
        if (gpus.Count > 0)
            env["CUDA_VISIBLE_DEVICES"] = string.Join(",", gpus.Select(i => i.ToString(CultureInfo.InvariantCulture)));
        return env;
    }
}

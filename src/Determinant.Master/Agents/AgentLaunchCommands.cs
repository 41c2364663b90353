using System.Globalization;
using Determinant.Master.ResourceManagers;
using Determinant.Protocol.Agent;

namespace Determinant.Master.Agents;

/// <summary>
/// Turns a task's spec into the launch command of one share of its placement: the agent's part — rank variables and the
/// chief's address for a gang (docs/distributed.md), the slot type's variables, and the working directory's archive
/// inline or as a download route.
/// </summary>
internal static class AgentLaunchCommands
{
    /// <summary>The launch of share <paramref name="share"/> of <paramref name="placement"/>, whose agents are <paramref name="agents"/> in share order.</summary>
    public static LaunchCommand Build(AllocationStart start, Placement placement, int share, IReadOnlyList<ConnectedAgent> agents)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(placement);
        ArgumentNullException.ThrowIfNull(agents);
        var spec = start.Spec;
        var agent = agents[share];
        var slotIds = placement.Shares[share].SlotIds;
        var env = new Dictionary<string, string>(spec.Env, StringComparer.Ordinal);
        int? firstRank = null;
        if (spec.Multiprocess)
            firstRank = AddRanks(env, placement, share, agents[0]);
        var cuda = slotIds.Any(i => agent.Slots.Any(s => s.Index == i && s.Type == SlotTypes.Cuda));
        foreach (var (name, value) in cuda ? spec.CudaEnv : spec.CpuEnv)
            env[name] = value;
        return new LaunchCommand(
            start.AllocationId, start.TaskId, spec.TaskType, slotIds, spec.Argv, env, Archive(spec, agent.Id, start.AllocationId),
            RankId: firstRank, User: spec.Owner, Mounts: spec.Mounts, Limits: spec.Limits, Ports: share == 0 && spec.Ports.Count > 0 ? spec.Ports : null,
            RunAs: spec.RunAs);
    }

    private static ModelDefinitionSource? Archive(TaskSpec spec, string agentId, string allocationId) =>
        !spec.HasArchive ? null
        : spec.InlineArchive is { } inline ? new ModelDefinitionSource(TarGzBase64: Convert.ToBase64String(inline))
        : new ModelDefinitionSource(Url: "/" + AgentRoutes.ModelDefinition(agentId, allocationId));

    /// <summary>
    /// One launch per agent starts that agent's ranks (docs/distributed.md): share i is node i of the gang, its workers
    /// are ranks <c>firstRank … firstRank + LOCAL_WORLD_SIZE − 1</c>, and a gang across agents names the chief's agent's
    /// registered address. Returns the share's first rank (the launch's <c>rankId</c>).
    /// </summary>
    private static int AddRanks(Dictionary<string, string> env, Placement placement, int share, ConnectedAgent chief)
    {
        var firstRank = placement.Shares.Take(share).Sum(s => s.SlotIds.Count);
        env["RANK"] = Text(firstRank);
        env["LOCAL_RANK"] = "0";
        env["GROUP_RANK"] = env["CROSS_RANK"] = Text(share);
        env["WORLD_SIZE"] = Text(Math.Max(placement.Shares.Sum(s => s.SlotIds.Count), 1));
        env["LOCAL_WORLD_SIZE"] = env["LOCAL_SIZE"] = Text(Math.Max(placement.Shares[share].SlotIds.Count, 1));
        env["GROUP_WORLD_SIZE"] = env["CROSS_SIZE"] = Text(placement.Shares.Count);
        // On one agent the agent names its own address; across agents every share needs the chief's.
        if (placement.Shares.Count > 1 && chief.Address is { Length: > 0 } address)
            env["DET_CHIEF_IP"] = address;
        return firstRank;
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}

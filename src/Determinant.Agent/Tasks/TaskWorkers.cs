using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Determinant.Protocol.Agent;

namespace Determinant.Agent.Tasks;

/// <summary>One process of an allocation: its rank among all workers, its rank on this agent and its slots.</summary>
/// <param name="Rank">The global rank (<c>RANK</c>).</param>
/// <param name="LocalRank">The rank on this agent (<c>LOCAL_RANK</c>).</param>
/// <param name="SlotIds">The slots this process may use (<c>DET_SLOT_IDS</c>).</param>
/// <param name="Env">The rank variables that differ from process to process; they override the launch's.</param>
internal sealed record TaskWorker(int Rank, int LocalRank, IReadOnlyList<int> SlotIds, IReadOnlyDictionary<string, string> Env);

/// <summary>
/// How many processes a launch starts (docs/distributed.md): a trial launch of a gang (<c>LOCAL_WORLD_SIZE</c> N &gt; 1,
/// or <c>WORLD_SIZE</c> &gt; 1: this agent's share of a gang across agents) starts N workers, one per slot, with
/// <c>RANK = first + LOCAL_RANK</c>, where first is the launch's <c>rankId</c> (default <c>GROUP_RANK · N</c>); any
/// other launch starts one process with the launch's own variables.
/// </summary>
internal static class TaskWorkers
{
    /// <exception cref="ArgumentException">The rank variables of the launch are not integers or do not fit its slots; the message names them.</exception>
    public static IReadOnlyList<TaskWorker> Plan(LaunchCommand launch, Uri master)
    {
        ArgumentNullException.ThrowIfNull(launch);
        var local = Int(launch, "LOCAL_WORLD_SIZE", 1);
        if (!IsGang(launch))
            return [new TaskWorker(launch.RankId ?? 0, 0, launch.SlotIds, new Dictionary<string, string>())];
        if (launch.SlotIds.Count != local)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"LOCAL_WORLD_SIZE={local} must equal the launch's {launch.SlotIds.Count} slot(s): the agent starts one worker per slot"));
        }

        var node = Int(launch, "GROUP_RANK", Int(launch, "CROSS_RANK", 0));
        var first = launch.RankId ?? node * local;
        var world = Int(launch, "WORLD_SIZE", local);
        if (first < 0 || first + local > world)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"ranks {first}…{first + local - 1} of this launch (rankId {first}, LOCAL_WORLD_SIZE={local}) must lie within WORLD_SIZE={world}"));
        }

        var chief = launch.Env.TryGetValue("DET_CHIEF_IP", out var ip) && ip.Length > 0 ? ip : node == 0 ? AddressToward(master).ToString() : null;
        var workers = new List<TaskWorker>(local);
        for (var i = 0; i < local; i++)
        {
            var rank = first + i;
            var env = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["RANK"] = Text(rank),
                ["LOCAL_RANK"] = Text(i),
                ["DET_SLOT_IDS"] = $"[{Text(launch.SlotIds[i])}]",
            };
            if (chief is not null)
                env["DET_CHIEF_IP"] = chief;
            // The workers share this machine's cores (as torchrun arranges for PyTorch), unless the task or the agent
            // (its own OMP_NUM_THREADS: several agents on one machine) chose a number.
            if (!launch.Env.ContainsKey("OMP_NUM_THREADS"))
            {
                env["OMP_NUM_THREADS"] = Environment.GetEnvironmentVariable("OMP_NUM_THREADS") is { Length: > 0 } chosen
                    ? chosen : Text(Math.Max(1, Environment.ProcessorCount / local));
            }
            workers.Add(new TaskWorker(rank, i, [launch.SlotIds[i]], env));
        }

        return workers;
    }

    /// <summary>Whether the launch starts rank-tagged workers: a trial on several slots, or one share of a gang across agents.</summary>
    public static bool IsGang(LaunchCommand launch)
    {
        ArgumentNullException.ThrowIfNull(launch);
        return launch.TaskType == "TRIAL" && (Int(launch, "LOCAL_WORLD_SIZE", 1) > 1 || Int(launch, "WORLD_SIZE", 1) > 1);
    }

    /// <summary>This machine's address on the route to the master: what the other workers reach it at (loopback for a local master).</summary>
    public static IPAddress AddressToward(Uri master)
    {
        ArgumentNullException.ThrowIfNull(master);
        try
        {
            var target = IPAddress.TryParse(master.Host, out var address) ? address
                : Dns.GetHostAddresses(master.Host).First(a => a.AddressFamily == AddressFamily.InterNetwork);
            if (IPAddress.IsLoopback(target))
                return IPAddress.Loopback;
            // A connected UDP socket sends nothing; connecting only picks the local address of the route.
            using var probe = new Socket(target.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            probe.Connect(target, 9);
            return ((IPEndPoint)probe.LocalEndPoint!).Address;
        }
        catch (Exception e) when (e is SocketException or InvalidOperationException)
        {
            return IPAddress.Loopback;
        }
    }

    private static int Int(LaunchCommand launch, string name, int fallback) =>
        !launch.Env.TryGetValue(name, out var text) || string.IsNullOrWhiteSpace(text) ? fallback
        : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value
        : throw new ArgumentException($"{name} must be an integer, not '{text}'");

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}

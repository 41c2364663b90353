using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.Channels;
using Determinant.Master.ResourceManagers;
using Determinant.Protocol.Agent;

namespace Determinant.Master.Agents;

/// <summary>
/// The resource manager of the master's own agents: it keeps the tasks waiting for slots and wakes the
/// <see cref="SchedulingLoop"/>, which places them (<see cref="SchedulingPlanner"/>) and launches them
/// (<see cref="AgentLauncher"/>); it turns kills into agent kill commands (tasks on agents poll the stop flag
/// themselves, so a graceful stop needs nothing more here); and it answers for the agents' capacity.
/// </summary>
internal sealed class AgentResourceManager(AgentRegistry registry) : IResourceManager
{
    private readonly ConcurrentDictionary<string, AllocationRequest> _waiting = new(StringComparer.Ordinal);
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>Tasks waiting for an allocation, in id order.</summary>
    public IReadOnlyList<string> WaitingTasks => [.. _waiting.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Completes when a pass is wanted (coalesced: many wakes before a pass make one).</summary>
    public ChannelReader<bool> WakeSignal => _wake.Reader;

    /// <summary>The waiting requests; a consistent snapshot (ToArray, which a collection expression over the dictionary is not).</summary>
    public IReadOnlyList<AllocationRequest> Waiting => _waiting.Values.ToArray();

    public Task RequestAsync(AllocationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        _waiting.TryAdd(request.TaskId, Normalized(request));
        Wake();
        return Task.CompletedTask;
    }

    public void Release(string taskId) => _waiting.TryRemove(taskId, out _);

    public Task StopGracefullyAsync(string allocationId, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task KillAsync(string allocationId, CancellationToken cancellationToken)
    {
        if (registry.PlacementOf(allocationId) is { } placement)
        {
            // A gang across agents is killed on each of them.
            foreach (var share in placement.Shares.Where(s => !s.Exited))
                registry.Find(share.AgentId)?.Commands.Enqueue(kill: new KillCommand(allocationId));
        }
        return Task.CompletedTask;
    }

    public string? Validate(string pool, int slots, bool singleNode)
    {
        var name = PoolNames.Resolve(pool);
        return registry.Read((agents, _) =>
        {
            var members = agents.Where(a => a.Pool == name).ToList();
            if (members.Count == 0)
                return agents.Count == 0 ? null : $"resource pool '{name}' has no agent (pools: {string.Join(", ", agents.Select(a => a.Pool).Distinct().Order(StringComparer.Ordinal))})";
            var largest = members.Max(a => a.Slots.Count);
            var total = members.Sum(a => a.Slots.Count);
            if (singleNode && slots > largest)
                return string.Create(CultureInfo.InvariantCulture, $"{slots} slots on one agent, but the largest agent of pool '{name}' has {largest}");
            return slots > total ? string.Create(CultureInfo.InvariantCulture, $"{slots} slots, but pool '{name}' has {total}") : null;
        });
    }

    public string? ValidateProgram(string pool, string program)
    {
        var name = PoolNames.Resolve(pool);
        return registry.Read((agents, _) =>
        {
            var members = agents.Where(a => a.Pool == name).ToList();
            if (members.Count == 0)
                return $"no agent of resource pool '{name}' is connected";
            return members.Any(a => a.Programs.ContainsKey(program)) ? null
                : $"no agent of resource pool '{name}' has a '{program}' executable (on its PATH, or at its {program}_path setting)";
        });
    }

    public SlotCapacity Capacity() => new(registry.MaxSlotsPerAgent, registry.MaxSlotsPerPool);

    public ClusterSummary Summary() => registry.Read((agents, _) =>
    {
        var nodes = agents.OrderBy(a => a.Id, StringComparer.Ordinal).Select(a => new NodeSummary(
            a.Id, a.Hostname, a.Pool,
            [.. a.Slots.Select(s => new SlotSummary(s.Index, s.Type, s.Device,
                a.SlotOwners.TryGetValue(s.Index, out var owner) && !owner.StartsWith(AgentLauncher.ReservationPrefix, StringComparison.Ordinal) ? owner : null))],
            a.RegisteredTime, a.LastHeartbeat, a.Sandboxed)).ToList();
        var pools = agents.GroupBy(a => a.Pool).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        pools.TryAdd(AgentRegistry.DefaultPool, []);
        return new ClusterSummary(
            [.. pools.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new PoolSummary(
                p.Key, "RESOURCE_POOL_TYPE_STATIC", p.Value.Count, p.Value.Sum(a => a.Slots.Count), p.Value.Sum(a => a.SlotOwners.Count),
                p.Value.Count == 0 ? 0 : p.Value.Max(a => a.Slots.Count), p.Key == AgentRegistry.DefaultPool, p.Key == AgentRegistry.DefaultPool))],
            nodes);
    });

    public void Wake() => _wake.Writer.TryWrite(true);

    private static AllocationRequest Normalized(AllocationRequest request) => request with { Pool = PoolNames.Resolve(request.Pool) };
}

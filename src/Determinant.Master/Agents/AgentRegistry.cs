using Determinant.Protocol.Agent;

namespace Determinant.Master.Agents;

/// <summary>
/// The connected agents, their slots and the allocations placed on them, in memory: agents register again after a
/// master restart. One lock guards it all; nothing slow runs under it.
/// </summary>
internal sealed class AgentRegistry
{
    public const string DefaultPool = "default";

    private readonly Lock _gate = new();
    private readonly Dictionary<string, ConnectedAgent> _agents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Placement> _placements = new(StringComparer.Ordinal);
    private readonly HashSet<string> _lost = new(StringComparer.Ordinal);

    /// <summary>Registers (or re-registers) an agent; returns it and the placements on it that it no longer lists (lost).</summary>
    public (ConnectedAgent Agent, IReadOnlyList<Placement> Missing) Register(RegisterAgentRequest request, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(request);
        var pool = string.IsNullOrEmpty(request.ResourcePool) ? DefaultPool : request.ResourcePool;
        lock (_gate)
        {
            if (!_agents.TryGetValue(request.AgentId, out var agent) || agent.Pool != pool
                || !agent.Slots.Select(s => s.Index).SequenceEqual(request.Slots.Select(s => s.Index)))
            {
                var replaced = agent;
                agent = new ConnectedAgent(request.AgentId, request.Hostname, pool, request.Slots, now);
                if (replaced is not null)
                {
                    foreach (var (slot, owner) in replaced.SlotOwners.Where(o => agent.Slots.Any(s => s.Index == o.Key)))
                        agent.SlotOwners[slot] = owner;
                    replaced.Commands.Close();
                }
                _agents[request.AgentId] = agent;
            }
            agent.LastHeartbeat = now;
            var listed = request.Allocations.Select(a => a.AllocationId).ToHashSet(StringComparer.Ordinal);
            // A launch not yet acknowledged is sent again, so the agent not listing it yet is no loss.
            var acknowledged = agent.Commands.Acknowledged;
            var missing = _placements.Values
                .Where(p => p.AgentId == agent.Id && !listed.Contains(p.AllocationId) && p.LaunchSeq <= acknowledged).ToList();
            return (agent, missing);
        }
    }

    public ConnectedAgent? Find(string agentId)
    {
        lock (_gate)
            return _agents.GetValueOrDefault(agentId);
    }

    public IReadOnlyList<ConnectedAgent> Agents
    {
        get
        {
            lock (_gate)
                return [.. _agents.Values.OrderBy(a => a.Id, StringComparer.Ordinal)];
        }
    }

    /// <summary>The slot count of the largest agent; null when none is registered.</summary>
    public int? MaxSlotsPerAgent
    {
        get
        {
            lock (_gate)
                return _agents.Count == 0 ? null : _agents.Values.Max(a => a.Slots.Count);
        }
    }

    /// <summary>Runs <paramref name="read"/> under the lock, for a consistent snapshot.</summary>
    public T Read<T>(Func<IReadOnlyCollection<ConnectedAgent>, IReadOnlyCollection<Placement>, T> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        lock (_gate)
            return read(_agents.Values, _placements.Values);
    }

    /// <summary>Holds the slots for a trial about to start; false when the agent is gone or a slot was taken meanwhile.</summary>
    public bool TryReserve(string agentId, IReadOnlyList<int> slotIds, string owner)
    {
        lock (_gate)
        {
            if (!_agents.TryGetValue(agentId, out var agent) || slotIds.Any(agent.SlotOwners.ContainsKey))
                return false;
            foreach (var slot in slotIds)
                agent.SlotOwners[slot] = owner;
            return true;
        }
    }

    /// <summary>Gives reserved slots back (the trial did not start).</summary>
    public void Unreserve(string agentId, string owner)
    {
        lock (_gate)
        {
            if (_agents.TryGetValue(agentId, out var agent))
                Free(agent, owner);
        }
    }

    /// <summary>Turns a reservation into a placement; false when the agent was lost meanwhile.</summary>
    public bool Place(Placement placement, string reservation)
    {
        ArgumentNullException.ThrowIfNull(placement);
        lock (_gate)
        {
            if (!_agents.TryGetValue(placement.AgentId, out var agent))
                return false;
            Free(agent, reservation);
            foreach (var slot in placement.SlotIds)
                agent.SlotOwners[slot] = placement.AllocationId;
            _placements[placement.AllocationId] = placement;
            return true;
        }
    }

    public Placement? PlacementOf(string allocationId)
    {
        lock (_gate)
            return _placements.GetValueOrDefault(allocationId);
    }

    /// <summary>Whether the master gave up on the allocation (its agent was lost); its later events answer 404.</summary>
    public bool IsLost(string allocationId)
    {
        lock (_gate)
            return _lost.Contains(allocationId);
    }

    /// <summary>Forgets the placement and frees its slots; returns it, or null when it was not placed.</summary>
    public Placement? Release(string allocationId, bool lost = false)
    {
        lock (_gate)
        {
            if (lost)
                _lost.Add(allocationId);
            if (!_placements.Remove(allocationId, out var placement))
                return null;
            if (_agents.TryGetValue(placement.AgentId, out var agent))
                Free(agent, allocationId);
            return placement;
        }
    }

    /// <summary>Removes an agent; returns the placements that were on it (now lost).</summary>
    public IReadOnlyList<Placement> Remove(string agentId)
    {
        lock (_gate)
        {
            if (!_agents.Remove(agentId, out var agent))
                return [];
            agent.Commands.Close();
            var lost = _placements.Values.Where(p => p.AgentId == agentId).ToList();
            foreach (var placement in lost)
            {
                _placements.Remove(placement.AllocationId);
                _lost.Add(placement.AllocationId);
            }
            return lost;
        }
    }

    /// <summary>Notes a poll starting or ending (the heartbeat).</summary>
    public void Heartbeat(ConnectedAgent agent, DateTime now, int heldDelta)
    {
        ArgumentNullException.ThrowIfNull(agent);
        lock (_gate)
        {
            agent.LastHeartbeat = now;
            agent.HeldPolls += heldDelta;
        }
    }

    /// <summary>Agents with no poll held and none for longer than <paramref name="timeout"/>.</summary>
    public IReadOnlyList<string> Expired(DateTime now, TimeSpan timeout)
    {
        lock (_gate)
            return [.. _agents.Values.Where(a => a.HeldPolls == 0 && now - a.LastHeartbeat > timeout).Select(a => a.Id)];
    }

    private static void Free(ConnectedAgent agent, string owner)
    {
        foreach (var slot in agent.SlotOwners.Where(o => o.Value == owner).Select(o => o.Key).ToList())
            agent.SlotOwners.Remove(slot);
    }
}

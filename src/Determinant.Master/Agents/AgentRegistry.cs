using Determinant.Master.Domain;
using Determinant.Master.ResourceManagers;
using Determinant.Protocol.Agent;

namespace Determinant.Master.Agents;

/// <summary>
/// The connected agents, their slots and the allocations placed on them, in memory: agents register again after a
/// master restart. One lock guards it all; nothing slow runs under it.
/// </summary>
internal sealed class AgentRegistry : IAgentPlacements
{
    public const string DefaultPool = PoolNames.Default;

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
            agent.Address = string.IsNullOrEmpty(request.Address) ? request.Hostname : request.Address;
            agent.Sandboxed = request.Sandboxed;
            agent.Programs = request.Programs is { } programs
                ? new Dictionary<string, string>(programs, StringComparer.Ordinal) : new Dictionary<string, string>(StringComparer.Ordinal);
            var listed = request.Allocations.Select(a => a.AllocationId).ToHashSet(StringComparer.Ordinal);
            // A launch not yet acknowledged is sent again, so the agent not listing it yet is no loss. A share adopted
            // after a master restart was never launched by this master (no sequence number): it ran, so it is missing.
            var acknowledged = agent.Commands.Acknowledged;
            var missing = _placements.Values
                .Where(p => p.ShareOn(agent.Id) is { Exited: false } share && !listed.Contains(p.AllocationId)
                    && (share.LaunchSeq is not { } seq || seq <= acknowledged)).ToList();
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

    /// <summary>The total slots of the largest pool; null when no agent is registered.</summary>
    public int? MaxSlotsPerPool
    {
        get
        {
            lock (_gate)
                return _agents.Count == 0 ? null : _agents.Values.GroupBy(a => a.Pool).Max(g => g.Sum(a => a.Slots.Count));
        }
    }

    /// <summary>Runs <paramref name="read"/> under the lock, for a consistent snapshot.</summary>
    public T Read<T>(Func<IReadOnlyCollection<ConnectedAgent>, IReadOnlyCollection<Placement>, T> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        lock (_gate)
            return read(_agents.Values, _placements.Values);
    }

    /// <summary>Holds the slots for a task about to start; false when the agent is gone or a slot was taken meanwhile.</summary>
    public bool TryReserve(string agentId, IReadOnlyList<int> slotIds, string owner) => TryReserve([new PlacementShare(agentId, slotIds)], owner);

    /// <summary>
    /// Holds the slots of every share for a task about to start, all or none: false (and nothing held) when an agent is
    /// gone or a slot was taken meanwhile.
    /// </summary>
    public bool TryReserve(IReadOnlyList<PlacementShare> shares, string owner)
    {
        ArgumentNullException.ThrowIfNull(shares);
        lock (_gate)
        {
            foreach (var share in shares)
            {
                if (!_agents.TryGetValue(share.AgentId, out var agent) || share.SlotIds.Any(agent.SlotOwners.ContainsKey))
                    return false;
            }
            foreach (var share in shares)
            {
                foreach (var slot in share.SlotIds)
                    _agents[share.AgentId].SlotOwners[slot] = owner;
            }
            return true;
        }
    }

    /// <summary>Gives reserved slots back (the task did not start).</summary>
    public void Unreserve(string agentId, string owner) => Unreserve([agentId], owner);

    /// <summary>Gives reserved slots back on each of <paramref name="agentIds"/> (the task did not start).</summary>
    public void Unreserve(IEnumerable<string> agentIds, string owner)
    {
        ArgumentNullException.ThrowIfNull(agentIds);
        lock (_gate)
        {
            foreach (var agentId in agentIds)
            {
                if (_agents.TryGetValue(agentId, out var agent))
                    Free(agent, owner);
            }
        }
    }

    /// <summary>Turns a reservation into a placement; false (nothing changed) when one of its agents was lost meanwhile.</summary>
    public bool Place(Placement placement, string reservation)
    {
        ArgumentNullException.ThrowIfNull(placement);
        lock (_gate)
        {
            if (placement.Shares.Any(s => !_agents.ContainsKey(s.AgentId)))
                return false;
            foreach (var share in placement.Shares)
            {
                var agent = _agents[share.AgentId];
                Free(agent, reservation);
                foreach (var slot in share.SlotIds)
                    agent.SlotOwners[slot] = placement.AllocationId;
            }
            _placements[placement.AllocationId] = placement;
            return true;
        }
    }

    /// <summary>
    /// Adopts an allocation an agent still runs after a master restart: a share of up to <paramref name="slots"/> of its
    /// free slots (the agent does not say which it holds), added to the allocation's placement when another agent of the
    /// gang registered first.
    /// </summary>
    public void Adopt(string allocationId, string taskId, string group, string agentId, int slots, string state)
    {
        lock (_gate)
        {
            if (!_agents.TryGetValue(agentId, out var agent))
                return;
            var placement = _placements.GetValueOrDefault(allocationId);
            if (placement?.ShareOn(agentId) is not null)
                return;
            var take = placement is null ? slots : Math.Max(0, placement.SlotsNeeded - placement.Shares.Sum(s => s.SlotIds.Count));
            var share = new PlacementShare(agentId, [.. agent.FreeSlots.Take(take)]);
            foreach (var slot in share.SlotIds)
                agent.SlotOwners[slot] = allocationId;
            _placements[allocationId] = placement is null
                ? new Placement(allocationId, taskId, group, [share], slots) { State = state }
                : placement with { Shares = [.. placement.Shares, share] };
        }
    }

    /// <summary>
    /// One agent reported its share of an allocation EXITED (<paramref name="agentId"/> null: the allocation as a whole
    /// ended): its slots are free. The allocation's exit is complete when every share has exited; the first failure among
    /// them is its exit code, and the first failure asks for the shares still running to be stopped.
    /// </summary>
    public ShareExit ShareExited(string allocationId, string? agentId, int? exitCode)
    {
        lock (_gate)
        {
            if (!_placements.TryGetValue(allocationId, out var placement))
                return new ShareExit(ShareExitKind.Unknown, exitCode, []);
            // An exit from an agent the placement does not name ends it all, as on one agent.
            var share = agentId is null ? null : placement.ShareOn(agentId);
            if (share is { Exited: true })
                return new ShareExit(ShareExitKind.Waiting, exitCode, []);
            var ending = share is null ? placement.Shares.Where(s => !s.Exited).ToList() : [share];
            foreach (var ended in ending)
            {
                ended.Exited = true;
                if (_agents.TryGetValue(ended.AgentId, out var agent))
                    Free(agent, allocationId);
            }
            var first = exitCode != 0 && !placement.Failed;
            if (first)
            {
                placement.Failed = true;
                placement.FailureCode = exitCode;
            }
            if (placement.Shares.All(s => s.Exited))
            {
                _placements.Remove(allocationId);
                return new ShareExit(ShareExitKind.Complete, placement.Failed ? placement.FailureCode : 0, []);
            }
            return new ShareExit(ShareExitKind.Waiting, exitCode, first ? [.. placement.Shares.Where(s => !s.Exited).Select(s => s.AgentId)] : []);
        }
    }

    public bool IsPlacedElsewhere(string allocationId, string agentId) => PlacementOf(allocationId) is { } placement && placement.ShareOn(agentId) is null;

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
            foreach (var share in placement.Shares)
            {
                if (_agents.TryGetValue(share.AgentId, out var agent))
                    Free(agent, allocationId);
            }
            return placement;
        }
    }

    /// <summary>Removes an agent; returns the placements that had a share on it (now lost; their slots on other agents are free).</summary>
    public IReadOnlyList<Placement> Remove(string agentId)
    {
        lock (_gate)
        {
            if (!_agents.Remove(agentId, out var agent))
                return [];
            agent.Commands.Close();
            var lost = _placements.Values.Where(p => p.ShareOn(agentId) is not null).ToList();
            foreach (var placement in lost)
            {
                _placements.Remove(placement.AllocationId);
                _lost.Add(placement.AllocationId);
                foreach (var share in placement.Shares)
                {
                    if (_agents.TryGetValue(share.AgentId, out var other))
                        Free(other, placement.AllocationId);
                }
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

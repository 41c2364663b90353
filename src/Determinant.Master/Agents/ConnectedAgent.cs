using Determinant.Protocol.Agent;

namespace Determinant.Master.Agents;

/// <summary>An agent the master knows: its slots and who holds them, its command queue and when it last polled.</summary>
/// <remarks>Mutable state; <see cref="AgentRegistry"/> changes it under its lock only.</remarks>
internal sealed class ConnectedAgent(string id, string hostname, string pool, IReadOnlyList<AgentSlot> slots, DateTime registeredTime)
{
    public string Id { get; } = id;

    public string Hostname { get; } = hostname;

    public string Pool { get; } = pool;

    /// <summary>Where other agents' tasks reach this agent's tasks (its registered address, else its host name).</summary>
    public string Address { get; set; } = hostname;

    public IReadOnlyList<AgentSlot> Slots { get; } = slots;

    /// <summary>Programs for task types that need them (<c>tensorboard</c>) and their paths, as it last registered them.</summary>
    public IReadOnlyDictionary<string, string> Programs { get; set; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Whether it runs its tasks in its sandbox, as it last registered (false: started <c>--unsandboxed</c>, or too old to say).</summary>
    public bool Sandboxed { get; set; }

    public DateTime RegisteredTime { get; } = registeredTime;

    public DateTime LastHeartbeat { get; set; } = registeredTime;

    /// <summary>Command polls being held right now; an agent with one is alive whatever the time of its last poll.</summary>
    public int HeldPolls { get; set; }

    public AgentCommandQueue Commands { get; } = new();

    /// <summary>Slot index → the allocation (or the reservation for a task about to start, <c>reserved:&lt;task id&gt;</c>) holding it.</summary>
    public Dictionary<int, string> SlotOwners { get; } = [];

    public IReadOnlyList<int> FreeSlots => [.. Slots.Select(s => s.Index).Where(i => !SlotOwners.ContainsKey(i)).Order()];
}

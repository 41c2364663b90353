using Determinant.Master.ResourceManagers;

namespace Determinant.Master.Agents;

/// <summary>
/// A decision of one scheduling pass: start this task on these slots, one share per agent (one share unless the gang
/// spans agents); the first share holds rank 0.
/// </summary>
internal sealed record PlannedLaunch(AllocationRequest Request, IReadOnlyList<PlannedShare> Shares)
{
    /// <summary>A launch on one agent.</summary>
    public PlannedLaunch(AllocationRequest request, string agentId, IReadOnlyList<int> slotIds)
        : this(request, [new PlannedShare(agentId, slotIds)])
    {
    }
}

/// <summary>The slots of a planned launch on one agent.</summary>
internal sealed record PlannedShare(string AgentId, IReadOnlyList<int> SlotIds);

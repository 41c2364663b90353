namespace Determinant.Master.Agents;

/// <summary>Where an allocation runs: its agent and slots, and the last state the agent reported.</summary>
internal sealed record Placement(string AllocationId, int TrialId, int ExperimentId, string AgentId, IReadOnlyList<int> SlotIds, int SlotsNeeded)
{
    /// <summary>QUEUED until the agent reports STARTING, then RUNNING (REFERENCE §5.1 display sub-states).</summary>
    public string State { get; set; } = "QUEUED";

    /// <summary>The <c>seq</c> of its launch command; until the agent acknowledges it, the agent may not know the allocation yet.</summary>
    public long? LaunchSeq { get; set; }
}

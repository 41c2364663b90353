namespace Determinant.Master.Agents;

/// <summary>
/// Where an allocation runs: one share per agent (a gang of N slots spans agents when no single agent has N free), and
/// the last state the agents reported. The first share is the chief's (rank 0).
/// </summary>
internal sealed record Placement(string AllocationId, string TaskId, string Group, IReadOnlyList<PlacementShare> Shares, int SlotsNeeded)
{
    /// <summary>An allocation on one agent.</summary>
    public Placement(string allocationId, string taskId, string group, string agentId, IReadOnlyList<int> slotIds, int slotsNeeded)
        : this(allocationId, taskId, group, [new PlacementShare(agentId, slotIds)], slotsNeeded)
    {
    }

    /// <summary>The chief's agent.</summary>
    public string AgentId => Shares[0].AgentId;

    /// <summary>QUEUED until the agent reports STARTING, then RUNNING (REFERENCE §5.1 display sub-states).</summary>
    public string State { get; set; } = "QUEUED";

    /// <summary>A share exited with a non-zero code (or never started); the allocation's exit is then a failure.</summary>
    public bool Failed { get; set; }

    /// <summary>The exit code of the first share that failed (null when it never started).</summary>
    public int? FailureCode { get; set; }

    /// <summary>The ports the chief's agent chose for the task's services (<c>TaskSpec.Ports</c>), by name, once it runs.</summary>
    public IReadOnlyDictionary<string, int>? Ports { get; set; }

    public PlacementShare? ShareOn(string agentId) => Shares.FirstOrDefault(s => s.AgentId == agentId);
}

/// <summary>The part of an allocation on one agent: its slots, its launch command and whether its workers have exited.</summary>
internal sealed record PlacementShare(string AgentId, IReadOnlyList<int> SlotIds)
{
    /// <summary>The <c>seq</c> of its launch command; until the agent acknowledges it, the agent may not know the allocation yet.</summary>
    public long? LaunchSeq { get; set; }

    /// <summary>The agent reported EXITED for this share; its slots are free again.</summary>
    public bool Exited { get; set; }
}

/// <summary>What one share's exit means for its allocation.</summary>
internal enum ShareExitKind
{
    /// <summary>The allocation is not placed (already ended, or never known): the controller decides.</summary>
    Unknown,

    /// <summary>Other shares still run; the allocation has not exited yet.</summary>
    Waiting,

    /// <summary>Every share has exited: the allocation exited with <see cref="ShareExit.ExitCode"/>.</summary>
    Complete,
}

/// <summary>The outcome of <see cref="AgentRegistry.ShareExited"/>.</summary>
/// <param name="Kind">What it means.</param>
/// <param name="ExitCode">For <see cref="ShareExitKind.Complete"/>: the allocation's exit code (the first failure's, else 0).</param>
/// <param name="StopOn">Agents whose shares must be stopped now (the first failure of a gang).</param>
internal sealed record ShareExit(ShareExitKind Kind, int? ExitCode, IReadOnlyList<string> StopOn);

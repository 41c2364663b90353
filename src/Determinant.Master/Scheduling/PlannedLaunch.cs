namespace Determinant.Master.Scheduling;

/// <summary>A decision of one scheduling pass: start this trial on these slots of this agent.</summary>
internal sealed record PlannedLaunch(SchedulingRequest Request, string AgentId, IReadOnlyList<int> SlotIds);

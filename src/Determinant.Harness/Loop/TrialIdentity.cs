namespace Determinant.Harness.Loop;

/// <summary>The ids the trial's reports carry.</summary>
internal sealed record TrialIdentity(int ExperimentId, int TrialId, int TrialRunId, string TaskId, string AllocationId);

namespace Determinant.Master.Auth;

/// <summary>What an allocation token stands for: the allocation, its task and, for a trial's, the trial.</summary>
internal readonly record struct CachedAllocation(string AllocationId, string TaskId, int? TrialId);

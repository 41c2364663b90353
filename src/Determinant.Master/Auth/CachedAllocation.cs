namespace Determinant.Master.Auth;

/// <summary>What an allocation token stands for: the allocation and its trial.</summary>
internal readonly record struct CachedAllocation(string AllocationId, int TrialId);

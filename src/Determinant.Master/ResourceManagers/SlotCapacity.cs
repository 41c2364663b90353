namespace Determinant.Master.ResourceManagers;

/// <summary>The cluster's size for submit-time checks: slots of its largest node and of its largest pool; null while it has no node.</summary>
internal sealed record SlotCapacity(int? MaxSlotsPerNode, int? MaxSlotsPerPool);

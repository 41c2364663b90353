namespace Determinant.Master.ResourceManagers;

/// <summary>What a resource manager reserved for an allocation: the slot count and pool it placed it in.</summary>
internal sealed record AllocatedResources(int Slots, string Pool);

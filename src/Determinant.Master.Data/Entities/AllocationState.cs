namespace Determinant.Master.Data.Entities;

/// <summary>Where an allocation is in its life.</summary>
public enum AllocationState
{
    Pending,
    Running,
    Terminated,
}

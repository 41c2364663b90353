namespace Determinant.Master.Data.Entities;

/// <summary>Whether a task may still run: a live one is queued or runs through its allocations; an ended one never runs again.</summary>
public enum TaskState
{
    Active,
    Terminated,
}

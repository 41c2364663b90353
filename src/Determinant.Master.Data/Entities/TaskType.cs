namespace Determinant.Master.Data.Entities;

/// <summary>What a task is (REFERENCE.md §7.1 <c>DET_TASK_TYPE</c>).</summary>
public enum TaskType
{
    Trial,
    Notebook,
    Tensorboard,
    Command,
    Shell,
    CheckpointGc,
}

namespace Determinant.Master.Data.Entities;

/// <summary>
/// Anything that runs on the cluster (REFERENCE.md §1): a trial, a notebook, a TensorBoard, a command. It is scheduled
/// as one allocation at a time; a trial's is its experiment's and its own, the others' their own config.
/// </summary>
public sealed class TaskEntity
{
    /// <summary>A trial's <c>&lt;experiment id&gt;.&lt;request id&gt;</c>; any other task's a random UUID.</summary>
    public required string Id { get; set; }
    public TaskType Type { get; set; }
    public int OwnerId { get; set; }
    public UserEntity? Owner { get; set; }
    public TaskState State { get; set; }

    /// <summary>What the owner called it; a trial's is null (its experiment names it).</summary>
    public string? Description { get; set; }

    /// <summary>The task's own config as JSON (a notebook's, a command's); null for trials.</summary>
    public string? ConfigJson { get; set; }

    /// <summary>The pool asked for; empty for the default.</summary>
    public string ResourcePool { get; set; } = "";
    public int Slots { get; set; }
    public DateTime StartTime { get; set; }
    public DateTime? EndTime { get; set; }

    /// <summary>Why it ended, in words ("exited with code 0", "killed by the user", "idle for 30m0s").</summary>
    public string? ExitStatus { get; set; }

    /// <summary>What a TensorBoard shows, as JSON (<c>{"experimentIds":[…],"trialIds":[…]}</c>); null for other tasks.</summary>
    public string? SourcesJson { get; set; }

    /// <summary>The secret the master's proxy adds to requests for the task's service (a notebook's token); null when it has none.</summary>
    public string? ServiceToken { get; set; }
}

namespace Determinant.Master.Data.Entities;

/// <summary>One scheduling of a task: id <c>&lt;task id&gt;.&lt;run id&gt;</c>, its resources, its stop flag and its token's hash.</summary>
public sealed class AllocationEntity
{
    public required string Id { get; set; }
    public required string TaskId { get; set; }
    public int RunId { get; set; }
    public AllocationState State { get; set; }

    /// <summary>The graceful stop signal (pause, cancel, searcher close, scheduler preemption).</summary>
    public bool Preempt { get; set; }

    /// <summary>The task acknowledged a stop or ran out of operations; its next clean exit is not "finished".</summary>
    public bool Acked { get; set; }
    public bool KillRequested { get; set; }
    public required string TokenHash { get; set; }
    public DateTime StartTime { get; set; }
    public DateTime? EndTime { get; set; }
    public int? ExitCode { get; set; }

    /// <summary>The slots it holds, and the pool they are in.</summary>
    public int Slots { get; set; }
    public string ResourcePool { get; set; } = "";

    /// <summary>Where the master's proxy reaches the task's service (<c>http://host:port</c>), once it runs; null for a task without one.</summary>
    public string? ProxyAddress { get; set; }

    /// <summary>The task's service answered (REFERENCE.md §7.5: until then the proxy answers 503).</summary>
    public bool Ready { get; set; }
}

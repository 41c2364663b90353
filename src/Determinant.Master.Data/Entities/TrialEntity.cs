using Determinant.Protocol.Api;

namespace Determinant.Master.Data.Entities;

/// <summary>A trial: one hyperparameter sample, its searcher operation and its progress.</summary>
public sealed class TrialEntity
{
    public int Id { get; set; }
    public int ExperimentId { get; set; }
    public ExperimentEntity? Experiment { get; set; }

    /// <summary>The searcher's id for the trial (a UUID).</summary>
    public Guid RequestId { get; set; }
    public required string HparamsJson { get; set; }
    public long Seed { get; set; }
    public TrialState State { get; set; }
    public int Restarts { get; set; }

    /// <summary>The run id of the latest allocation; 0 before the first.</summary>
    public int RunId { get; set; }

    /// <summary>The length of the current <c>ValidateAfter</c>, or null when the searcher gave none.</summary>
    public long? OpLength { get; set; }
    public bool OpCompleted { get; set; }

    /// <summary>The searcher closed the trial; it stops once its current op is complete.</summary>
    public bool SearcherClosed { get; set; }

    /// <summary>The reason of an <c>early_exit</c> report, at most one per trial.</summary>
    public string? EarlyExitReason { get; set; }
    public string? RunnerState { get; set; }
    public long TotalBatches { get; set; }
    /// <summary>The steps of the trial's best validation (its key in <c>metric_reports</c> with the group), if any.</summary>
    public long? BestValidationSteps { get; set; }

    /// <summary>The steps of the trial's latest validation, if any.</summary>
    public long? LatestValidationSteps { get; set; }
    public string? WarmStartCheckpointUuid { get; set; }
    public DateTime StartTime { get; set; }
    public DateTime? EndTime { get; set; }

    /// <summary>The user's free-text notes (REFERENCE.md §8, Notes tab); null when none were written.</summary>
    public string? Notes { get; set; }

    /// <summary>
    /// The trial's task, <c>&lt;experiment id&gt;.&lt;random UUIDv4&gt;</c>: its allocations (<c>&lt;task id&gt;.&lt;run id&gt;</c>)
    /// and logs hang off it. Trials made before the random part was introduced kept <c>&lt;experiment id&gt;.&lt;request id&gt;</c>.
    /// </summary>
    public required string TaskId { get; set; }
    public TaskEntity? Task { get; set; }

    /// <summary>
    /// The task id of a trial: the experiment id and a UUID that must be random (not the request id, which the experiment
    /// seed reproduces), so that nobody can work out another trial's task and allocation ids.
    /// </summary>
    public static string TaskIdOf(int experimentId, Guid randomPart) => $"{experimentId}.{randomPart:D}";
}

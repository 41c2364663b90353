namespace Determinant.Client;

/// <summary>What <see cref="Experiment.ListCheckpointsAsync"/> sorts by.</summary>
public enum CheckpointSortBy
{
    /// <summary>The checkpoint's UUID.</summary>
    Uuid,

    /// <summary>The trial id.</summary>
    TrialId,

    /// <summary>Batches trained when the checkpoint was taken.</summary>
    BatchNumber,

    /// <summary>When the checkpoint was reported.</summary>
    EndTime,

    /// <summary>The checkpoint state.</summary>
    State,

    /// <summary>The searcher metric of the validation at the checkpoint's step.</summary>
    SearcherMetric,
}

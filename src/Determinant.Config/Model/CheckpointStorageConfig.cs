namespace Determinant.Config;

/// <summary>The <c>checkpoint_storage</c> section: where checkpoints go and how many survive garbage collection (REFERENCE.md §2.5, §4.4).</summary>
public abstract record CheckpointStorageConfig
{
    /// <summary>The storage type as written in the config (<c>shared_fs</c>, <c>directory</c>, …).</summary>
    public abstract string Type { get; }

    /// <summary>Keep the best N checkpoints of the experiment.</summary>
    public int SaveExperimentBest { get; init; }

    /// <summary>Keep the best N checkpoints of each trial.</summary>
    public int SaveTrialBest { get; init; } = 1;

    /// <summary>Keep the latest N checkpoints of each trial.</summary>
    public int SaveTrialLatest { get; init; } = 1;
}

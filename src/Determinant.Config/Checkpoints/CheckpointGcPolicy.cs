namespace Determinant.Config;

/// <summary>How many checkpoints survive garbage collection (the <c>save_*</c> fields of <c>checkpoint_storage</c>, REFERENCE.md §4.4).</summary>
/// <param name="SaveExperimentBest">Keep the best N checkpoints of the whole experiment.</param>
/// <param name="SaveTrialBest">Keep the best N checkpoints of each trial.</param>
/// <param name="SaveTrialLatest">Keep the latest N checkpoints of each trial.</param>
public sealed record CheckpointGcPolicy(int SaveExperimentBest, int SaveTrialBest, int SaveTrialLatest)
{
    /// <summary>The default policy: each trial keeps its best and its latest checkpoint (0/1/1).</summary>
    public static CheckpointGcPolicy Default { get; } = new(0, 1, 1);

    /// <summary>The policy an experiment delete uses: nothing survives (0/0/0).</summary>
    public static CheckpointGcPolicy DeleteAll { get; } = new(0, 0, 0);
}

namespace Determinant.Harness.Loop;

/// <summary>
/// The training loop's own state, saved in every checkpoint (<c>loop_state.json</c>) and restored on resume: the steps
/// trained, what was last validated and checkpointed, the learning-rate scheduler steps and the sampler position.
/// </summary>
internal sealed class TrainingState
{
    public ulong StepsCompleted { get; set; }

    public ulong? LastValidationSteps { get; set; }

    /// <summary>The searcher metric of the validation at <see cref="LastValidationSteps"/>; serialized with NaN as a string.</summary>
    public double? LastSearcherMetric { get; set; }

    public ulong? LastCheckpointSteps { get; set; }

    public int TrialSeed { get; set; }

    public IList<long> SchedulerSteps { get; set; } = [];

    /// <summary>Where the next training batch comes from, for readers of the checkpoint; it follows from the steps.</summary>
    public SamplerPosition? Sampler { get; set; }
}

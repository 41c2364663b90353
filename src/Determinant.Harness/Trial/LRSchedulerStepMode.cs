namespace Determinant.Harness;

/// <summary>When the harness steps a wrapped learning-rate scheduler.</summary>
public enum LRSchedulerStepMode
{
    /// <summary>After every training batch.</summary>
    StepEveryBatch,

    /// <summary>After the last batch of every epoch of the training data.</summary>
    StepEveryEpoch,
}

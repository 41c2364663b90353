namespace Determinant.Harness.Loop;

/// <summary>The training data position after <c>steps_completed</c> batches: the epoch, the batch in it, and the shuffle seed.</summary>
internal sealed record SamplerPosition(long ShuffleSeed, long Epoch, int BatchInEpoch, int BatchesPerEpoch);

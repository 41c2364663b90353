using Determinant.Harness.Data;
using static TorchSharp.torch;

namespace Determinant.Harness;

/// <summary>
/// Training or validation data as batches, read epoch by epoch from any batch position, so that training resumed from a
/// checkpoint sees exactly the batches that uninterrupted training would have seen.
/// </summary>
/// <remarks>
/// Build one with <see cref="FromTensors"/>, <see cref="FromDataset"/> or <see cref="FromEpochs"/>, or derive from it.
/// A shuffled source must draw its order only from the seed and the epoch it is given. Disposing a source disposes the
/// tensors or dataset it was built from.
/// </remarks>
public abstract class BatchSource : IDisposable
{
    /// <summary>Batches in one epoch; at least 1.</summary>
    public abstract int BatchesPerEpoch { get; }

    /// <summary>The batches of epoch <paramref name="epoch"/> from batch <paramref name="firstBatch"/> on.</summary>
    /// <param name="shuffleSeed">The seed of the data order (the harness passes the trial seed); ignored when not shuffling.</param>
    /// <param name="epoch">The zero-based epoch; a shuffled source orders each epoch differently.</param>
    /// <param name="firstBatch">The zero-based batch to start at, below <see cref="BatchesPerEpoch"/>.</param>
    public abstract IEnumerable<Batch> ReadEpoch(long shuffleSeed, int epoch, int firstBatch);

    /// <summary>All batches of one pass, as for validation: epoch 0 from its first batch, seed 0.</summary>
    public IEnumerable<Batch> ReadAll() => ReadEpoch(0, 0, 0);

    /// <summary>Batches of <paramref name="batchSize"/> rows of <paramref name="inputs"/> and <paramref name="targets"/>.</summary>
    /// <param name="inputs">Records along the first dimension; owned by the source from now on.</param>
    /// <param name="targets">One target per record; owned by the source from now on.</param>
    /// <param name="batchSize">Records per batch (the context's per-slot batch size).</param>
    /// <param name="shuffle">Draw a new record order each epoch from the seed and the epoch.</param>
    /// <param name="dropLast">Leave out a last, smaller batch.</param>
    /// <exception cref="ArgumentException">The tensors differ in length, or there are fewer records than one batch needs.</exception>
    public static BatchSource FromTensors(Tensor inputs, Tensor targets, int batchSize, bool shuffle = false, bool dropLast = false) =>
        new TensorBatchSource(inputs, targets, batchSize, shuffle, dropLast);

    /// <summary>Batches stacked from the items of a TorchSharp dataset (each item a dictionary of tensors).</summary>
    /// <param name="dataset">The dataset; owned by the source from now on.</param>
    /// <param name="batchSize">Records per batch.</param>
    /// <param name="shuffle">Draw a new record order each epoch from the seed and the epoch.</param>
    /// <param name="dropLast">Leave out a last, smaller batch.</param>
    /// <exception cref="ArgumentException">The dataset has fewer records than one batch needs.</exception>
    public static BatchSource FromDataset(utils.data.Dataset dataset, int batchSize, bool shuffle = false, bool dropLast = false) =>
        new DatasetBatchSource(dataset, batchSize, shuffle, dropLast);

    /// <summary>Batches from any enumerable, one per epoch; resuming mid-epoch reads and skips the batches before the position.</summary>
    /// <param name="readEpoch">Gives the batches of an epoch (seed and epoch in); must give the same batches for the same arguments.</param>
    /// <param name="batchesPerEpoch">How many batches each epoch has.</param>
    public static BatchSource FromEpochs(Func<long, int, IEnumerable<Batch>> readEpoch, int batchesPerEpoch) =>
        new EnumerableBatchSource(readEpoch, batchesPerEpoch);

    /// <inheritdoc/>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases what the source owns.</summary>
    protected virtual void Dispose(bool disposing)
    {
    }
}

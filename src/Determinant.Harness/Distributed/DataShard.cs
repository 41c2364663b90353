namespace Determinant.Harness.Distributed;

/// <summary>
/// One worker's part of the training data. The trial builds its data with the per-slot batch size, so that N of its
/// batches make one global batch: global batch g of an epoch is per-slot batches g·N … g·N + N − 1, of which worker r
/// trains batch g·N + r. Together the workers train exactly the records one worker with the global batch size would.
/// </summary>
/// <remarks>
/// Every worker reads the same (seed, epoch) order and skips the batches of the others. When the last global batch of
/// an epoch is short, the workers past its end get no batch (null) and contribute nothing to that step's gradient.
/// </remarks>
internal sealed class DataShard(BatchSource source, int rank, int size)
{
    /// <summary>Global batches per epoch.</summary>
    public int BatchesPerEpoch => (source.BatchesPerEpoch + size - 1) / size;

    /// <summary>This worker's batch of each global batch from <paramref name="firstBatch"/> on; null where it has none.</summary>
    public IEnumerable<Batch?> ReadEpoch(long shuffleSeed, int epoch, int firstBatch)
    {
        var perSlot = source.BatchesPerEpoch;
        using var batches = source.ReadEpoch(shuffleSeed, epoch, Math.Min(firstBatch * size, perSlot - 1)).GetEnumerator();
        for (var global = firstBatch; global < BatchesPerEpoch; global++)
        {
            Batch? mine = null;
            for (var r = 0; r < size; r++)
            {
                if ((global * size) + r >= perSlot)
                    break;
                if (!batches.MoveNext())
                    throw new InvalidOperationException($"the training data ended at batch {(global * size) + r} of epoch {epoch}, but it promises {perSlot} batches per epoch");
                if (r == rank)
                    mine = batches.Current;
            }

            yield return mine;
        }
    }

    /// <summary>This worker's share of a validation pass: batches rank, rank + N, rank + 2N, ….</summary>
    public static IEnumerable<Batch> Validation(BatchSource source, int rank, int size)
    {
        var index = 0;
        foreach (var batch in source.ReadAll())
        {
            if (index++ % size == rank)
                yield return batch;
        }
    }
}

/// <summary>What the batch runner needs in a distributed trial: the other workers, the gradient averaging and this worker's data.</summary>
internal sealed record DistributedTraining(WorkerGroup Group, GradientSync Gradients, DataShard Training);

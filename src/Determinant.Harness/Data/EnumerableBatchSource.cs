namespace Determinant.Harness.Data;

/// <summary>Batches from a caller's enumerable; a position inside an epoch is reached by reading and skipping.</summary>
internal sealed class EnumerableBatchSource : BatchSource
{
    private readonly Func<long, int, IEnumerable<Batch>> _readEpoch;

    public EnumerableBatchSource(Func<long, int, IEnumerable<Batch>> readEpoch, int batchesPerEpoch)
    {
        ArgumentNullException.ThrowIfNull(readEpoch);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchesPerEpoch, 1);
        _readEpoch = readEpoch;
        BatchesPerEpoch = batchesPerEpoch;
    }

    public override int BatchesPerEpoch { get; }

    public override IEnumerable<Batch> ReadEpoch(long shuffleSeed, int epoch, int firstBatch) =>
        _readEpoch(shuffleSeed, epoch).Skip(firstBatch).Take(BatchesPerEpoch - firstBatch);
}

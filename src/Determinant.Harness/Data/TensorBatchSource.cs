using static TorchSharp.torch;

namespace Determinant.Harness.Data;

/// <summary>Batches sliced from an inputs tensor and a targets tensor.</summary>
internal sealed class TensorBatchSource : BatchSource
{
    private readonly Tensor _inputs;
    private readonly Tensor _targets;
    private readonly int _batchSize;
    private readonly bool _shuffle;
    private readonly long _records;

    public TensorBatchSource(Tensor inputs, Tensor targets, int batchSize, bool shuffle, bool dropLast)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        if (inputs.Dimensions == 0 || targets.Dimensions == 0 || inputs.shape[0] != targets.shape[0])
            throw new ArgumentException($"inputs and targets need the same first dimension (records); got {inputs.shape.FirstOrDefault()} and {targets.shape.FirstOrDefault()}");
        // Kept beyond any dispose scope the trial built them in: the source owns them now.
        _inputs = inputs.DetachFromDisposeScope();
        _targets = targets.DetachFromDisposeScope();
        _records = inputs.shape[0];
        _batchSize = batchSize;
        _shuffle = shuffle;
        BatchesPerEpoch = EpochOrder.BatchCount(_records, batchSize, dropLast);
    }

    public override int BatchesPerEpoch { get; }

    public override IEnumerable<Batch> ReadEpoch(long shuffleSeed, int epoch, int firstBatch)
    {
        var order = EpochOrder.Of(_records, _shuffle, shuffleSeed, epoch);
        for (var b = firstBatch; b < BatchesPerEpoch; b++)
        {
            var start = (long)b * _batchSize;
            var count = (int)Math.Min(_batchSize, _records - start);
            if (_shuffle)
            {
                using var index = tensor(order.AsSpan((int)start, count).ToArray());
                yield return new Batch(_inputs.index_select(0, index), _targets.index_select(0, index));
            }
            else
            {
                yield return new Batch(_inputs.narrow(0, start, count), _targets.narrow(0, start, count));
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inputs.Dispose();
            _targets.Dispose();
        }

        base.Dispose(disposing);
    }
}

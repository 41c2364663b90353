using static TorchSharp.torch;

namespace Determinant.Harness.Data;

/// <summary>Batches stacked, key by key, from the items of a TorchSharp dataset.</summary>
internal sealed class DatasetBatchSource : BatchSource
{
    private readonly utils.data.Dataset _dataset;
    private readonly int _batchSize;
    private readonly bool _shuffle;

    public DatasetBatchSource(utils.data.Dataset dataset, int batchSize, bool shuffle, bool dropLast)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        _dataset = dataset;
        _batchSize = batchSize;
        _shuffle = shuffle;
        BatchesPerEpoch = EpochOrder.BatchCount(dataset.Count, batchSize, dropLast);
    }

    public override int BatchesPerEpoch { get; }

    public override IEnumerable<Batch> ReadEpoch(long shuffleSeed, int epoch, int firstBatch)
    {
        var order = EpochOrder.Of(_dataset.Count, _shuffle, shuffleSeed, epoch);
        for (var b = firstBatch; b < BatchesPerEpoch; b++)
        {
            var start = (long)b * _batchSize;
            var items = new List<Dictionary<string, Tensor>>();
            for (var i = start; i < Math.Min(start + _batchSize, order.LongLength); i++)
                items.Add(_dataset.GetTensor(order[i]));
            yield return new Batch(items[0].Keys.ToDictionary(k => k, k => stack(items.Select(item => item[k])), StringComparer.Ordinal));
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _dataset.Dispose();
        base.Dispose(disposing);
    }
}

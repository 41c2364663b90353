using static TorchSharp.torch;

namespace Determinant.Harness.Tests.Checkpoints;

/// <summary>Shuffled batch sources draw each epoch's order from (seed, epoch) alone, so any position can be resumed.</summary>
[Collection("Torch")]
public sealed class BatchSourceTests
{
    [Fact]
    public void ShuffledSource_GivesSameBatches_WhenReadFromMidEpochPosition()
    {
        using var source = Source(shuffle: true);

        var whole = Read(source.ReadEpoch(5, epoch: 2, firstBatch: 0));
        var resumed = Read(source.ReadEpoch(5, epoch: 2, firstBatch: 3));

        Assert.Equal(whole.Skip(3), resumed);
    }

    [Fact]
    public void ShuffledSource_CoversEveryRecordOncePerEpoch_InADifferentOrderEachEpoch()
    {
        using var source = Source(shuffle: true);

        var first = Read(source.ReadEpoch(5, 0, 0)).SelectMany(b => b).ToList();
        var second = Read(source.ReadEpoch(5, 1, 0)).SelectMany(b => b).ToList();

        Assert.Equal(Enumerable.Range(0, 10).Select(i => (float)i), first.Order());
        Assert.Equal(first.Order(), second.Order());
        Assert.NotEqual(first, second);
        Assert.Equal(first, Read(source.ReadEpoch(5, 0, 0)).SelectMany(b => b));
    }

    [Fact]
    public void Source_KeepsRecordOrderAndLastPartialBatch_WhenNotShuffled()
    {
        using var source = Source(shuffle: false);

        Assert.Equal(4, source.BatchesPerEpoch);
        Assert.Equal([[0f, 1, 2], [3f, 4, 5], [6f, 7, 8], [9f]], Read(source.ReadAll()));
    }

    [Fact]
    public void Source_DropsLastPartialBatch_WhenAsked()
    {
        TorchRuntime.EnsureLoaded();
        using var source = BatchSource.FromTensors(arange(10, ScalarType.Float32), arange(10), 3, dropLast: true);

        Assert.Equal(3, source.BatchesPerEpoch);
    }

    private static BatchSource Source(bool shuffle)
    {
        TorchRuntime.EnsureLoaded();
        return BatchSource.FromTensors(arange(10, ScalarType.Float32), arange(10), 3, shuffle);
    }

    private static List<float[]> Read(IEnumerable<Batch> batches) =>
        batches.Select(b => b.Inputs.data<float>().ToArray()).ToList();
}

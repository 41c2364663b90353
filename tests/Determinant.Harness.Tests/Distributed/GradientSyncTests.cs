using TorchSharp;
using static TorchSharp.torch;

namespace Determinant.Harness.Tests.Distributed;

/// <summary>Gradient averaging between real workers on loopback TCP, and the optimizer step it defers.</summary>
[Collection("Torch")]
public sealed class GradientSyncTests
{
    [Fact]
    public async Task AverageAndStep_WeightsGradientsByRecords_AndStepsOnceWithTheAverage()
    {
        var rings = await InProcessRendezvous.ConnectAsync(2, TimeSpan.FromSeconds(30));
        var records = new long[] { 3, 1 };
        var results = await Task.WhenAll(Enumerable.Range(0, 2).Select(rank => Task.Run(() =>
        {
            using var ring = rings[rank];
            using var weight = nn.Parameter(tensor(new float[] { 1, 2, 3, 4 }));
            using var bias = nn.Parameter(tensor(new float[] { 5 }));
            using var optimizer = optim.SGD([weight, bias], learningRate: 1.0);
            var sync = new Harness.Distributed.GradientSync(ring, [optimizer], bucketBytes: 8);
            sync.Hide();
            // What a trial's TrainBatch does: zero_grad, backward, step; the step must not move the weight yet.
            optimizer.zero_grad();
            using (var loss = (weight * tensor(new float[] { rank + 1, rank + 1, rank + 1, rank + 1 })).sum() + (bias * (rank + 1)).sum())
                loss.backward();
            optimizer.step();
            var untouched = weight.detach().clone().data<float>().ToArray();
            sync.Restore();
            sync.AverageAndStep(records[rank]);
            using var grad = weight.grad!;
            return (untouched, grad.data<float>().ToArray(), weight.detach().data<float>().ToArray(), bias.detach().data<float>()[0], sync.BucketCount);
        })));

        // Rank 0's gradient is 1 (3 records), rank 1's is 2 (1 record): the weighted mean is (3·1 + 1·2) / 4 = 1.25.
        // An 8-byte bucket holds the weight and the gradient flags with the first parameter; the second gets its own.
        foreach (var (untouched, grad, after, biasAfter, buckets) in results)
        {
            Assert.Equal([1f, 2, 3, 4], untouched);
            Assert.Equal([1.25f, 1.25f, 1.25f, 1.25f], grad);
            Assert.Equal([-0.25f, 0.75f, 1.75f, 2.75f], after);
            Assert.Equal(3.75f, biasAfter);
            Assert.Equal(2, buckets);
        }
    }
}

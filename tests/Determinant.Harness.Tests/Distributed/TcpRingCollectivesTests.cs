using System.Net;
using Determinant.Harness.Distributed;

namespace Determinant.Harness.Tests.Distributed;

/// <summary>The TCP ring between workers on loopback: exact sums, broadcast, all-gather, and loud failures instead of hangs.</summary>
public sealed class TcpRingCollectivesTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(2, 7, true)]
    [InlineData(3, 1_000_003, true)]
    [InlineData(3, 1_000_003, false)]
    [InlineData(4, 300_001, false)]
    [InlineData(3, 2, true)]
    public async Task AllReduceSum_GivesEveryWorkerTheSameElementwiseSum_ForSmallAndLargeBuffersAndBothSendModes(int size, int length, bool secondThread)
    {
        var rings = await ConnectAsync(size, Timeout, secondThread);
        var results = await Task.WhenAll(rings.Select(ring => Task.Run(() =>
        {
            using (ring)
            {
                var values = Enumerable.Range(0, length).Select(i => (float)((i % 1000) * (ring.Rank + 1))).ToArray();
                ring.AllReduceSum(values);
                return values;
            }
        })));

        var factor = size * (size + 1) / 2;
        foreach (var values in results)
        {
            for (var i = 0; i < length; i += Math.Max(1, length / 997))
                Assert.Equal((i % 1000) * factor, values[i]);
            Assert.Equal((length - 1) % 1000 * factor, values[^1]);
            Assert.Equal(results[0], values);
        }
    }

    [Fact]
    public async Task BroadcastAndAllGather_DeliverTheRootsBytes_AndEveryWorkersBytesInRankOrder()
    {
        var rings = await ConnectAsync(3, Timeout);
        var results = await Task.WhenAll(rings.Select(ring => Task.Run(() =>
        {
            using (ring)
            {
                var fromOne = ring.Broadcast(ring.Rank == 1 ? new byte[] { 9, 8, 7 } : [], root: 1);
                var large = ring.Broadcast(ring.Rank == 0 ? Enumerable.Range(0, 200_000).Select(i => (byte)i).ToArray() : [], root: 0);
                var all = ring.AllGather(Enumerable.Repeat((byte)ring.Rank, ring.Rank + 1).ToArray());
                return (fromOne, large.Length, large[^1], all);
            }
        })));

        foreach (var (fromOne, largeLength, largeLast, all) in results)
        {
            Assert.Equal([9, 8, 7], fromOne);
            Assert.Equal((200_000, (byte)(199_999 % 256)), (largeLength, largeLast));
            Assert.Equal([[0], [1, 1], [2, 2, 2]], all);
        }
    }

    [Fact]
    public async Task Collective_FailsNamingRankAndOperations_WhenWorkersCallDifferentCollectives()
    {
        var rings = await ConnectAsync(2, Timeout);
        var calls = new[]
        {
            Task.Run(() => rings[0].AllReduceSum(new float[4])),
            Task.Run(() => rings[1].Broadcast([1, 2], root: 1)),
        };

        var error = await Assert.ThrowsAsync<CollectiveException>(() => calls[0]);
        Assert.Contains("rank 0: all-reduce #1 received from rank 1 broadcast #1", error.Message, StringComparison.Ordinal);
        Assert.Contains("do not call the same collectives in the same order", error.Message, StringComparison.Ordinal);
        // The root of a broadcast only sends, so rank 1 learns of the mix-up at its next collective.
        await calls[1];
        rings[0].Dispose();
        Assert.Throws<CollectiveException>(() => rings[1].AllGather([1]));
        rings[1].Dispose();
    }

    [Fact]
    public async Task Collective_FailsWithinItsTimeout_NamingTheRankItWaitedFor_WhenAPeerNeverCalls()
    {
        var rings = await ConnectAsync(2, TimeSpan.FromSeconds(1), secondThread: false);
        using var waiting = rings[0];
        using var silent = rings[1];

        var error = Assert.Throws<CollectiveException>(() => waiting.AllReduceSum(new float[1 << 20]));

        Assert.Contains("rank 0: all-reduce #1 timed out after 1 s waiting for rank 1", error.Message, StringComparison.Ordinal);
        // The ring is closed after a failure: later collectives fail at once instead of reading a half-sent message.
        Assert.Contains("the ring is closed", Assert.Throws<CollectiveException>(() => waiting.AllGather([1])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Collective_FailsAtOnce_NamingTheLostRank_WhenAPeerExits()
    {
        var rings = await ConnectAsync(2, Timeout);
        rings[1].Dispose();

        var error = Assert.Throws<CollectiveException>(() => rings[0].AllGather([1, 2, 3]));
        rings[0].Dispose();

        Assert.Contains("rank 0: all-gather #1 lost rank 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_FailsNamingTheRendezvous_WhenThePeersNeverArrive()
    {
        var error = await Assert.ThrowsAsync<CollectiveException>(() => TcpRingCollectives.ConnectAsync(
            0, 2, IPAddress.Loopback, (_, ct) => Task.Delay(Timeout, ct).ContinueWith<IReadOnlyList<string>>(_ => [], ct), TimeSpan.FromMilliseconds(300), CancellationToken.None));

        Assert.Contains("rank 0: the rendezvous of 2 workers timed out", error.Message, StringComparison.Ordinal);
    }

    private static async Task<TcpRingCollectives[]> ConnectAsync(int size, TimeSpan timeout, bool secondThread = true)
    {
        var rendezvous = new InProcessRendezvous(size);
        return await Task.WhenAll(Enumerable.Range(0, size).Select(rank =>
            TcpRingCollectives.ConnectAsync(rank, size, IPAddress.Loopback, rendezvous.For(rank), timeout, CancellationToken.None, secondThread)));
    }
}
